import Foundation
import HTTPTypes
import Hummingbird
import Logging
import RevisitModel
import RevisitStore

/// The workshop console (DESIGN section 14) for the service desk: sign-in with an admin token, a server-side session
/// behind a cookie, and the month's call list with an outcome form per row. It answers `/console/…` itself, ahead of
/// the API's token middleware: a browser has a session cookie, not a bearer token, and sends forms, not JSON. Every
/// write goes through the store's rules, as the API's do.
struct ConsolePages<Context: RemoteAddressRequestContext>: RouterMiddleware {
    let store: any SyncStore
    let resources: WebResources
    let proxies: TrustedProxies
    /// Failed sign-ins per address: over the limit, 429 before the token is looked up.
    let failures: TokenGuard
    /// Where review links point (`--public-url`, or the listening address).
    let linkBase: LinkBase
    /// The commits the call list and reviews refresh on (the same broadcaster as the API's event stream).
    let changes: ChangeBroadcaster
    let heartbeat: Duration
    let clock: any WallClock
    /// Whether cookies are marked `Secure` (the public URL is https).
    let secureCookies: Bool

    static var cookieName: String { "revisit_console" }
    /// The sign-in form's own token (double submit): a page elsewhere cannot sign a browser in to its own account.
    static var loginCookieName: String { "revisit_console_login" }
    static var sessionLength: TimeInterval { 12 * 3600 }
    static var formLimit: Int { 16 * 1024 }

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let path = request.uri.path
        guard path == "/console" || path.hasPrefix("/console/") else { return try await next(request, context) }
        let segments = path.split(separator: "/").map(String.init)
        let client = proxies.clientAddress(
            peer: context.remoteAddress?.ipAddress ?? "unknown",
            forwardedFor: request.headers[values: .xForwardedFor]
        )
        do {
            switch (request.method, segments.dropFirst().first ?? "") {
            case (.get, ""): return redirect("/console/followups")
            case (.get, "login"): return loginPage(request, status: .ok, error: nil)
            case (.post, "login"): return try await signIn(request, client: client, logger: context.logger)
            case (.post, "logout"): return try await signOut(request)
            case (.get, "followups") where segments.count == 2:
                return try await withSession(request) { try await callList($0, request, flash: nil) }
            case (.get, "followups") where segments.count == 3 && segments[2] == "export.csv":
                return try await withSession(request) { try await export($0, request) }
            case (.get, "followups") where segments.count == 3:
                return try await withSession(request) {
                    try await followupPage($0, request, id: segments[2], flash: nil)
                }
            case (.post, "followups") where segments.count == 4 && segments[3] == "outcome":
                return try await withSession(request) {
                    try await outcome($0, request, id: segments[2], logger: context.logger)
                }
            case (.get, "changes") where segments.count == 2:
                return try await withSession(request) { session in
                    try await SyncStreamResponder<Context>.stream(
                        tenant: session.tenantId,
                        changes: changes,
                        store: store,
                        heartbeat: heartbeat,
                        request: request,
                        logger: context.logger
                    )
                }
            case (.get, "webhooks") where segments.count == 2:
                return try await withSession(request) { try await webhooks($0, shown: nil, flash: nil) }
            case (.post, "webhooks") where segments.count == 4:
                return try await withSession(request) {
                    try await webhookAction($0, request, id: segments[2], action: segments[3], logger: context.logger)
                }
            case (.get, "reports") where segments.count == 2:
                return try await withSession(request) { try await reports($0, request) }
            case (.get, "inspections") where segments.count == 2:
                return try await withSession(request) { try await reviews($0, made: nil, flash: nil) }
            case (.post, "inspections") where segments.count == 4 && segments[3] == "review-link":
                return try await withSession(request) {
                    try await makeLink($0, request, inspectionId: segments[2], logger: context.logger)
                }
            default:
                return message(.notFound, locale(request), "notFoundTitle", "consoleNotFound")
            }
        } catch let error as StoreError where error.kind == .unavailable {
            context.logger.warning("console answered 503", metadata: ["cause": "\(error)"])
            return message(.serviceUnavailable, locale(request), "unavailableTitle", "unavailableBody")
        }
    }

    // MARK: Signing in and out

    private func loginPage(_ request: Request, status: HTTPResponse.Status, error: String?) -> Response {
        let locale = locale(request)
        let t = resources.texts(for: locale)
        let csrf = WebSecret.generate()
        var page = chrome(locale: locale, title: t["consoleSignIn"] ?? "")
        page["csrf"] = csrf
        if let error { page["error"] = t[error] ?? error }
        var header = "\(Self.loginCookieName)=\(csrf); Path=/console/login; Max-Age=3600; HttpOnly; SameSite=Strict"
        if secureCookies { header += "; Secure" }
        return WebHeaders.consoleHTML(
            status,
            resources.render(page, template: "console-login"),
            extra: [.setCookie: header]
        )
    }

    private func signIn(_ request: Request, client: String, logger: Logger) async throws -> Response {
        if let seconds = failures.retryAfter(address: client) {
            var response = loginPage(request, status: .tooManyRequests, error: "consoleTooMany")
            response.headers[.retryAfter] = "\(seconds)"
            return response
        }
        guard let form = try await form(request) else {
            return loginPage(request, status: .badRequest, error: "consoleBadForm")
        }
        let cookie = ReviewPages<Context>.cookie(named: Self.loginCookieName, in: request.headers[values: .cookie])
        guard let cookie, let sent = form["csrf"], WebSecret.equal(cookie, sent) else {
            return loginPage(request, status: .badRequest, error: "consoleFormExpired")
        }
        let token = (form["token"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty, let principal = try await store.authenticate(token: token) else {
            failures.recordFailure(address: client)
            return loginPage(request, status: .unauthorized, error: "consoleWrongToken")
        }
        guard principal.role == .admin else {
            failures.recordFailure(address: client)
            return loginPage(request, status: .forbidden, error: "consoleAdminOnly")
        }
        let secret = WebSecret.generate()
        let now = clock.now()
        try await store.startWebSession(
            WebSessionRecord(
                idHash: WebSecret.hash(secret),
                tenantId: principal.tenantId,
                purpose: .console,
                subject: principal.tokenId,
                csrf: WebSecret.generate(),
                createdAt: now,
                expiresAt: now.addingTimeInterval(Self.sessionLength)
            )
        )
        logger.info(
            "console sign-in",
            metadata: ["tenant": "\(principal.tenantSlug)", "token": "\(principal.tokenId)"]
        )
        var header = "\(Self.cookieName)=\(secret); Path=/console; Max-Age=\(Int(Self.sessionLength)); HttpOnly; "
        header += "SameSite=Strict"
        if secureCookies { header += "; Secure" }
        return redirect("/console/followups", extra: [.setCookie: header])
    }

    private func signOut(_ request: Request) async throws -> Response {
        guard let (session, secret) = try await session(request) else { return redirect("/console/login") }
        guard let form = try await form(request), let sent = form["csrf"], WebSecret.equal(session.csrf, sent) else {
            return message(.forbidden, locale(request), "consoleFormExpiredTitle", "consoleFormExpired")
        }
        try await store.endWebSession(idHash: WebSecret.hash(secret))
        var header = "\(Self.cookieName)=; Path=/console; Max-Age=0; HttpOnly; SameSite=Strict"
        if secureCookies { header += "; Secure" }
        return redirect("/console/login", extra: [.setCookie: header])
    }

    /// Runs `body` for a signed-in admin; without a live session, the sign-in page.
    private func withSession(
        _ request: Request,
        _ body: (WebSessionRecord) async throws -> Response
    ) async throws -> Response {
        guard let (session, _) = try await session(request) else { return redirect("/console/login") }
        return try await body(session)
    }

    private func session(_ request: Request) async throws -> (WebSessionRecord, String)? {
        guard let cookie = ReviewPages<Context>.cookie(named: Self.cookieName, in: request.headers[values: .cookie]),
            WebSecret.isWellFormed(cookie),
            let session = try await store.webSession(idHash: WebSecret.hash(cookie)),
            session.purpose == .console
        else { return nil }
        return (session, cookie)
    }

    // MARK: The call list

    private func callList(_ session: WebSessionRecord, _ request: Request, flash: Flash?) async throws -> Response {
        let settings = try await store.settings(tenantId: session.tenantId)
        let query = CallListQuery(request.uri.queryParameters, today: CalendarDate(clock.now(), in: settings.zone))
        let records = try await store.callList(
            tenantId: session.tenantId,
            from: query.month.first,
            to: query.month.last,
            state: query.state,
            limit: CallListQuery.maximumRows
        ).filter { query.covered == nil || ($0.coverage != nil) == query.covered }
        let t = resources.texts(for: settings.locale)
        var page = chrome(locale: settings.locale, title: t["consoleCallList"] ?? "", session: session)
        let model = ConsoleCallList(query: query, settings: settings, texts: t, csrf: session.csrf)
        for (key, value) in model.context(records) { page[key] = value }
        var flash = flash
        if flash == nil, let id = query.saved, let saved = try await store.followup(tenantId: session.tenantId, id: id)
        {
            // The call may have moved the due date to another month's list: say where it went.
            let state = t["state_" + saved.state.rawValue] ?? saved.state.rawValue
            let who = saved.customer?["name"]?.stringValue.map { " (\($0))" } ?? ""
            let text =
                "\(t["consoleSavedFlash"] ?? ""): \(saved.title)\(who), \(state), \(t["consoleNowDue"] ?? "") \(saved.dueDate)"
            flash = Flash(text: text, isError: false, status: .ok)
        }
        if let flash { page["flash"] = ["text": flash.text, "error": flash.isError] }
        return WebHeaders.consoleHTML(flash?.status ?? .ok, resources.render(page, template: "console-followups"))
    }

    /// One follow-up and its outcome form; `carried` are the list's filters a failed form brought back.
    private func followupPage(
        _ session: WebSessionRecord,
        _ request: Request,
        id: String,
        flash: Flash?,
        carried: [String: String]? = nil
    ) async throws -> Response {
        let settings = try await store.settings(tenantId: session.tenantId)
        guard let record = try await store.followup(tenantId: session.tenantId, id: id) else {
            return message(.notFound, settings.locale, "notFoundTitle", "consoleNotFound")
        }
        let t = resources.texts(for: settings.locale)
        let today = CalendarDate(clock.now(), in: settings.zone)
        let query =
            carried.map { CallListQuery(fields: $0, today: today) }
            ?? CallListQuery(request.uri.queryParameters, today: today)
        var page = chrome(locale: settings.locale, title: record.title, session: session)
        let model = ConsoleCallList(query: query, settings: settings, texts: t, csrf: session.csrf)
        for (key, value) in model.single(record) { page[key] = value }
        if let flash { page["flash"] = ["text": flash.text, "error": flash.isError] }
        return WebHeaders.consoleHTML(flash?.status ?? .ok, resources.render(page, template: "console-followup"))
    }

    private func export(_ session: WebSessionRecord, _ request: Request) async throws -> Response {
        let settings = try await store.settings(tenantId: session.tenantId)
        let query = CallListQuery(request.uri.queryParameters, today: CalendarDate(clock.now(), in: settings.zone))
        let records = try await store.callList(
            tenantId: session.tenantId,
            from: query.month.first,
            to: query.month.last,
            state: query.state,
            limit: 50_000
        ).filter { query.covered == nil || ($0.coverage != nil) == query.covered }
        var csv = CallListCSV(defaultCurrency: settings.currency)
        var headers: HTTPFields = [
            .contentType: "text/csv; charset=utf-8",
            .contentDisposition: "attachment; filename=\"followups-\(query.monthText).csv\"",
        ]
        WebHeaders.apply(to: &headers)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: .init(string: csv.document(records))))
    }

    private func outcome(
        _ session: WebSessionRecord,
        _ request: Request,
        id: String,
        logger: Logger
    ) async throws -> Response {
        let settings = try await store.settings(tenantId: session.tenantId)
        let t = resources.texts(for: settings.locale)
        guard let fields = try await form(request), let sent = fields["csrf"], WebSecret.equal(session.csrf, sent)
        else {
            let flash = Flash(text: t["consoleFormExpired"] ?? "", isError: true, status: .forbidden)
            return try await callList(session, request, flash: flash)
        }
        let back = "/console/followups?" + CallListQuery.carried(fields)
        let parsed = ConsoleOutcomeForm(fields, zone: settings.zone, now: clock.now())
        guard case .success(let outcome) = parsed.request else {
            let text = if case .failure(let problem) = parsed.request { problem.detail } else { "" }
            let flash = Flash(text: text, isError: true, status: .badRequest)
            return try await followupPage(session, request, id: id, flash: flash, carried: fields)
        }
        do {
            let record = try await store.recordOutcome(tenantId: session.tenantId, id: id, outcome)
            logger.info("console outcome", metadata: ["id": "\(record.id)", "state": "\(record.state.rawValue)"])
        } catch let problem as MutationProblem {
            let flash = Flash(text: problem.detail, isError: true, status: HTTPResponse.Status(code: problem.status))
            return try await followupPage(session, request, id: id, flash: flash, carried: fields)
        } catch let error as StoreError where error.kind == .notFound {
            return message(.notFound, settings.locale, "notFoundTitle", "consoleNotFound")
        }
        // Post/redirect/get: a reload does not send the outcome again.
        return redirect(back + "&saved=" + id)
    }

    // MARK: Webhooks

    private func webhooks(
        _ session: WebSessionRecord,
        shown: ConsoleWebhooks.Secret?,
        flash: Flash?
    ) async throws
        -> Response
    {
        let settings = try await store.settings(tenantId: session.tenantId)
        let t = resources.texts(for: settings.locale)
        let endpoints = try await ConsoleWebhooks.load(store: store, tenantId: session.tenantId)
        var page = chrome(locale: settings.locale, title: t["consoleWebhooks"] ?? "", session: session)
        let model = ConsoleWebhooks(settings: settings, texts: t, csrf: session.csrf, now: clock.now())
        for (key, value) in model.context(endpoints, shown: shown) { page[key] = value }
        if let flash { page["flash"] = ["text": flash.text, "error": flash.isError] }
        return WebHeaders.consoleHTML(flash?.status ?? .ok, resources.render(page, template: "console-webhooks"))
    }

    /// Replay since a day, rotate the secret (shown once, so the answer is the page itself), enable a disabled one.
    private func webhookAction(
        _ session: WebSessionRecord,
        _ request: Request,
        id: String,
        action: String,
        logger: Logger
    ) async throws -> Response {
        let settings = try await store.settings(tenantId: session.tenantId)
        let t = resources.texts(for: settings.locale)
        guard let fields = try await form(request), let sent = fields["csrf"], WebSecret.equal(session.csrf, sent)
        else {
            let flash = Flash(text: t["consoleFormExpired"] ?? "", isError: true, status: .forbidden)
            return try await webhooks(session, shown: nil, flash: flash)
        }
        guard try await store.endpoint(tenantId: session.tenantId, id: id) != nil else {
            return message(.notFound, settings.locale, "notFoundTitle", "consoleNotFound")
        }
        switch action {
        case "replay":
            guard let day = fields["since"].flatMap(CalendarDate.init) else {
                let flash = Flash(text: t["consoleReplayNeedsDay"] ?? "", isError: true, status: .badRequest)
                return try await webhooks(session, shown: nil, flash: flash)
            }
            let since = day.instant(hour: 0, in: settings.zone)
            let count = try await store.replay(tenantId: session.tenantId, endpointId: id, since: since)
            logger.info("console replay", metadata: ["endpoint": "\(id)", "events": "\(count)"])
            let text = "\(t["consoleReplayed"] ?? ""): \(count)"
            return try await webhooks(session, shown: nil, flash: Flash(text: text, isError: false, status: .ok))
        case "rotate-secret":
            let record = try await store.rotateSecret(
                tenantId: session.tenantId,
                id: id,
                newSecret: StandardWebhooks.generateSecret()
            )
            logger.info("console secret rotation", metadata: ["endpoint": "\(id)"])
            return try await webhooks(session, shown: .init(endpointId: record.id, secret: record.secret), flash: nil)
        case "enable":
            _ = try await store.updateEndpoint(
                tenantId: session.tenantId,
                id: id,
                url: nil,
                events: nil,
                description: nil,
                enabled: true
            )
            logger.info("console enabled endpoint", metadata: ["endpoint": "\(id)"])
            let flash = Flash(text: t["consoleEnabled"] ?? "", isError: false, status: .ok)
            return try await webhooks(session, shown: nil, flash: flash)
        default:
            return message(.notFound, settings.locale, "notFoundTitle", "consoleNotFound")
        }
    }

    // MARK: Reports

    private func reports(_ session: WebSessionRecord, _ request: Request) async throws -> Response {
        let settings = try await store.settings(tenantId: session.tenantId)
        let t = resources.texts(for: settings.locale)
        let today = CalendarDate(clock.now(), in: settings.zone)
        let (from, to) = ConsoleReports.range(request.uri.queryParameters, today: today)
        let months = try await store.followupReport(tenantId: session.tenantId, from: from, to: to)
        var page = chrome(locale: settings.locale, title: t["consoleReports"] ?? "", session: session)
        let model = ConsoleReports(settings: settings, texts: t)
        for (key, value) in model.context(months, from: from, to: to) { page[key] = value }
        return WebHeaders.consoleHTML(.ok, resources.render(page, template: "console-reports"))
    }

    // MARK: Reviews

    private func reviews(
        _ session: WebSessionRecord,
        made: ConsoleReviews.MadeLink?,
        flash: Flash?
    ) async throws
        -> Response
    {
        let settings = try await store.settings(tenantId: session.tenantId)
        let t = resources.texts(for: settings.locale)
        let waiting = try await ConsoleReviews.waiting(store: store, tenantId: session.tenantId)
        var page = chrome(locale: settings.locale, title: t["consoleReviews"] ?? "", session: session)
        let model = ConsoleReviews(settings: settings, texts: t, csrf: session.csrf, now: clock.now())
        for (key, value) in model.context(waiting, made: made) { page[key] = value }
        if let flash { page["flash"] = ["text": flash.text, "error": flash.isError] }
        return WebHeaders.consoleHTML(flash?.status ?? .ok, resources.render(page, template: "console-inspections"))
    }

    private func makeLink(
        _ session: WebSessionRecord,
        _ request: Request,
        inspectionId: String,
        logger: Logger
    ) async throws -> Response {
        let settings = try await store.settings(tenantId: session.tenantId)
        let t = resources.texts(for: settings.locale)
        guard let fields = try await form(request), let sent = fields["csrf"], WebSecret.equal(session.csrf, sent)
        else {
            return try await reviews(
                session,
                made: nil,
                flash: Flash(text: t["consoleFormExpired"] ?? "", isError: true, status: .forbidden)
            )
        }
        let base = linkBase.current
        do {
            let (link, token) = try await store.createReviewLink(tenantId: session.tenantId, inspectionId: inspectionId)
            {
                ReviewPaths.page(base: base, token: $0)
            }
            logger.info("review link made in the console", metadata: ["link": "\(link.id)"])
            // The URL is shown this once (the token is not stored), so this answer is the page itself, not a redirect.
            let made = ConsoleReviews.MadeLink(
                inspectionId: inspectionId.lowercased(),
                url: ReviewPaths.page(base: base, token: token)
            )
            return try await reviews(session, made: made, flash: nil)
        } catch let error as StoreError where error.kind == .notFound {
            return message(.notFound, settings.locale, "notFoundTitle", "consoleNotFound")
        } catch let error as StoreError where error.kind == .invalidTransition {
            return try await reviews(
                session,
                made: nil,
                flash: Flash(text: t["consoleNotCompleted"] ?? "", isError: true, status: .conflict)
            )
        }
    }

    // MARK: Answers

    private func form(_ request: Request) async throws -> [String: String]? {
        var request = request
        let type = request.headers[.contentType]?.lowercased() ?? ""
        guard type.hasPrefix("application/x-www-form-urlencoded"),
            let body = try? await request.collectBody(upTo: Self.formLimit)
        else { return nil }
        return FormBody.parse(body.readableBytesView)
    }

    /// The page's language: the tenant's once signed in; before, the browser's if it asks for Dutch.
    private func locale(_ request: Request) -> PageLocale {
        let accepted = request.headers[.acceptLanguage]?.lowercased() ?? ""
        return accepted.hasPrefix("nl") ? .nl : .en
    }

    private func chrome(locale: PageLocale, title: String, session: WebSessionRecord? = nil) -> [String: Any] {
        var page: [String: Any] = [
            "lang": locale.rawValue, "t": resources.texts(for: locale), "title": title,
            "assets": ["css": resources.assetURL("console.css"), "js": resources.assetURL("console.js")],
        ]
        if let session { page["session"] = ["csrf": session.csrf] }
        return page
    }

    private func message(
        _ status: HTTPResponse.Status,
        _ locale: PageLocale,
        _ title: String,
        _ body: String
    ) -> Response {
        let t = resources.texts(for: locale)
        var page = chrome(locale: locale, title: t[title] ?? title)
        page["body"] = t[body] ?? body
        return WebHeaders.consoleHTML(status, resources.render(page, template: "console-message"))
    }

    private func redirect(_ location: String, extra: HTTPFields = [:]) -> Response {
        var headers: HTTPFields = [.location: location]
        WebHeaders.apply(to: &headers)
        headers.append(contentsOf: extra)
        return Response(status: .seeOther, headers: headers)
    }

    /// A line at the top of the call list: what was saved, or why not.
    struct Flash {
        var text: String
        var isError: Bool
        var status: HTTPResponse.Status
    }
}

extension HTTPField.Name {
    static let contentDisposition = Self("Content-Disposition")!
}

extension WebHeaders {
    /// A console page: the page headers with the console's policy.
    static func consoleHTML(_ status: HTTPResponse.Status, _ body: String, extra: HTTPFields = [:]) -> Response {
        html(status, body, extra: extra, policy: consoleContentSecurityPolicy)
    }
}
