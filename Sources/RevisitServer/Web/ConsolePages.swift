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
        let started = ContinuousClock.now
        var response = try await answer(request, path: path, context: context)
        WebHeaders.stampServerTiming(&response, since: started)
        return response
    }

    private func answer(_ request: Request, path: String, context: Context) async throws -> Response {
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
                return try await withSession(request) { signed in
                    try await SyncStreamResponder<Context>.stream(
                        tenant: signed.tenantId,
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
        let header = cookieHeader(Self.loginCookieName, csrf, path: "/console/login", maxAge: 3600)
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
        let header = cookieHeader(Self.cookieName, secret, path: "/console", maxAge: Int(Self.sessionLength))
        return redirect("/console/followups", extra: [.setCookie: header])
    }

    private func signOut(_ request: Request) async throws -> Response {
        guard let (session, secret) = try await session(request) else { return redirect("/console/login") }
        guard try await signedForm(request, session) != nil else {
            return message(.forbidden, locale(request), "consoleFormExpiredTitle", "consoleFormExpired")
        }
        try await store.endWebSession(idHash: WebSecret.hash(secret))
        return redirect(
            "/console/login",
            extra: [.setCookie: cookieHeader(Self.cookieName, "", path: "/console", maxAge: 0)]
        )
    }

    /// A signed-in admin's request: the session, and the tenant's settings and texts every page needs, read once.
    struct Signed {
        var session: WebSessionRecord
        var settings: TenantSettings
        var texts: [String: String]
        var tenantId: Int64 { session.tenantId }
        func text(_ key: String) -> String { texts[key] ?? key }
    }

    /// Runs `body` for a signed-in admin; without a live session, the sign-in page.
    private func withSession(
        _ request: Request,
        _ body: (Signed) async throws -> Response
    ) async throws -> Response {
        guard let (session, _) = try await session(request) else { return redirect("/console/login") }
        let settings = try await store.settings(tenantId: session.tenantId)
        return try await body(
            Signed(session: session, settings: settings, texts: resources.texts(for: settings.locale))
        )
    }

    /// A form sent from one of this session's pages (its CSRF token matches); nil for any other.
    private func signedForm(_ request: Request, _ session: WebSessionRecord) async throws -> [String: String]? {
        guard let fields = try await form(request), let sent = fields["csrf"], WebSecret.equal(session.csrf, sent)
        else { return nil }
        return fields
    }

    /// A console page: the chrome, the page's own values, and the line at its top.
    private func page(
        _ template: String,
        _ signed: Signed,
        title: String,
        _ values: [String: Any],
        flash: Flash? = nil
    ) -> Response {
        var page = chrome(locale: signed.settings.locale, title: title, session: signed.session)
        page.merge(values) { $1 }
        if let flash { page["flash"] = ["text": flash.text, "error": flash.isError] }
        return WebHeaders.consoleHTML(flash?.status ?? .ok, resources.render(page, template: template))
    }

    private func expired(_ signed: Signed) -> Flash {
        Flash(text: signed.text("consoleFormExpired"), isError: true, status: .forbidden)
    }

    private func notFound(_ signed: Signed) -> Response {
        message(.notFound, signed.settings.locale, "notFoundTitle", "consoleNotFound")
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

    /// The follow-ups a call list query shows, in call order, with its cover filter applied.
    private func listed(_ signed: Signed, _ query: CallListQuery, limit: Int) async throws -> [FollowUpRecord] {
        try await store.callList(
            tenantId: signed.tenantId,
            from: query.month.first,
            to: query.month.last,
            state: query.state,
            limit: limit
        ).filter { query.covered == nil || ($0.coverage != nil) == query.covered }
    }

    private func today(_ signed: Signed) -> CalendarDate { CalendarDate(clock.now(), in: signed.settings.zone) }

    private func callList(_ signed: Signed, _ request: Request, flash: Flash?) async throws -> Response {
        let query = CallListQuery(request.uri.queryParameters, today: today(signed))
        let records = try await listed(signed, query, limit: CallListQuery.maximumRows)
        let model = ConsoleCallList(
            query: query,
            settings: signed.settings,
            texts: signed.texts,
            csrf: signed.session.csrf
        )
        var flash = flash
        if flash == nil, let id = query.saved, let saved = try await store.followup(tenantId: signed.tenantId, id: id) {
            // The call may have moved the due date to another month's list: say where it went.
            let state = signed.text("state_" + saved.state.rawValue)
            let who = saved.customer?["name"]?.stringValue.map { " (\($0))" } ?? ""
            let text =
                "\(signed.text("consoleSavedFlash")): \(saved.title)\(who), \(state), \(signed.text("consoleNowDue")) \(saved.dueDate)"
            flash = Flash(text: text, isError: false, status: .ok)
        }
        return page(
            "console-followups",
            signed,
            title: signed.text("consoleCallList"),
            model.context(records),
            flash: flash
        )
    }

    /// One follow-up and its outcome form; `carried` are the list's filters a failed form brought back.
    private func followupPage(
        _ signed: Signed,
        _ request: Request,
        id: String,
        flash: Flash?,
        carried: [String: String]? = nil
    ) async throws -> Response {
        guard let record = try await store.followup(tenantId: signed.tenantId, id: id) else { return notFound(signed) }
        let query =
            carried.map { CallListQuery(fields: $0, today: today(signed)) }
            ?? CallListQuery(request.uri.queryParameters, today: today(signed))
        let model = ConsoleCallList(
            query: query,
            settings: signed.settings,
            texts: signed.texts,
            csrf: signed.session.csrf
        )
        return page("console-followup", signed, title: record.title, model.single(record), flash: flash)
    }

    private func export(_ signed: Signed, _ request: Request) async throws -> Response {
        let query = CallListQuery(request.uri.queryParameters, today: today(signed))
        let records = try await listed(signed, query, limit: 50_000)
        var csv = CallListCSV(defaultCurrency: signed.settings.currency)
        var headers: HTTPFields = [
            .contentType: "text/csv; charset=utf-8",
            .contentDisposition: "attachment; filename=\"followups-\(query.monthText).csv\"",
        ]
        WebHeaders.apply(to: &headers)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: .init(string: csv.document(records))))
    }

    private func outcome(_ signed: Signed, _ request: Request, id: String, logger: Logger) async throws -> Response {
        guard let fields = try await signedForm(request, signed.session) else {
            return try await callList(signed, request, flash: expired(signed))
        }
        let back = "/console/followups?" + CallListQuery.carried(fields)
        let parsed = ConsoleOutcomeForm(fields, zone: signed.settings.zone, now: clock.now())
        let flash: Flash
        switch parsed.request {
        case .failure(let invalid):
            flash = Flash(text: invalid.detail, isError: true, status: .badRequest)
        case .success(let outcome):
            do {
                let record = try await store.recordOutcome(tenantId: signed.tenantId, id: id, outcome)
                logger.info("console outcome", metadata: ["id": "\(record.id)", "state": "\(record.state.rawValue)"])
                // Post/redirect/get: a reload does not send the outcome again.
                return redirect(back + "&saved=" + id)
            } catch let refused as MutationProblem {
                flash = Flash(text: refused.detail, isError: true, status: HTTPResponse.Status(code: refused.status))
            } catch let error as StoreError where error.kind == .notFound {
                return notFound(signed)
            }
        }
        return try await followupPage(signed, request, id: id, flash: flash, carried: fields)
    }

    // MARK: Webhooks

    private func webhooks(_ signed: Signed, shown: ConsoleWebhooks.Secret?, flash: Flash?) async throws -> Response {
        let endpoints = try await ConsoleWebhooks.load(store: store, tenantId: signed.tenantId)
        let model = ConsoleWebhooks(
            settings: signed.settings,
            texts: signed.texts,
            csrf: signed.session.csrf,
            now: clock.now()
        )
        return page(
            "console-webhooks",
            signed,
            title: signed.text("consoleWebhooks"),
            model.context(endpoints, shown: shown),
            flash: flash
        )
    }

    /// Replay since a day, rotate the secret (shown once, so the answer is the page itself), enable a disabled one.
    private func webhookAction(
        _ signed: Signed,
        _ request: Request,
        id: String,
        action: String,
        logger: Logger
    ) async throws -> Response {
        guard let fields = try await signedForm(request, signed.session) else {
            return try await webhooks(signed, shown: nil, flash: expired(signed))
        }
        guard try await store.endpoint(tenantId: signed.tenantId, id: id) != nil else { return notFound(signed) }
        switch action {
        case "replay":
            guard let day = fields["since"].flatMap(CalendarDate.init) else {
                let flash = Flash(text: signed.text("consoleReplayNeedsDay"), isError: true, status: .badRequest)
                return try await webhooks(signed, shown: nil, flash: flash)
            }
            let since = day.instant(hour: 0, in: signed.settings.zone)
            let count = try await store.replay(tenantId: signed.tenantId, endpointId: id, since: since)
            logger.info("console replay", metadata: ["endpoint": "\(id)", "events": "\(count)"])
            let flash = Flash(text: "\(signed.text("consoleReplayed")): \(count)", isError: false, status: .ok)
            return try await webhooks(signed, shown: nil, flash: flash)
        case "rotate-secret":
            let record = try await store.rotateSecret(
                tenantId: signed.tenantId,
                id: id,
                newSecret: StandardWebhooks.generateSecret()
            )
            logger.info("console secret rotation", metadata: ["endpoint": "\(id)"])
            return try await webhooks(signed, shown: .init(endpointId: record.id, secret: record.secret), flash: nil)
        case "enable":
            _ = try await store.updateEndpoint(
                tenantId: signed.tenantId,
                id: id,
                url: nil,
                events: nil,
                description: nil,
                enabled: true
            )
            logger.info("console enabled endpoint", metadata: ["endpoint": "\(id)"])
            let flash = Flash(text: signed.text("consoleEnabled"), isError: false, status: .ok)
            return try await webhooks(signed, shown: nil, flash: flash)
        default:
            return notFound(signed)
        }
    }

    // MARK: Reports

    private func reports(_ signed: Signed, _ request: Request) async throws -> Response {
        let (from, to) = ConsoleReports.range(request.uri.queryParameters, today: today(signed))
        let months = try await store.followupReport(tenantId: signed.tenantId, from: from, to: to)
        let model = ConsoleReports(settings: signed.settings, texts: signed.texts)
        return page(
            "console-reports",
            signed,
            title: signed.text("consoleReports"),
            model.context(months, from: from, to: to)
        )
    }

    // MARK: Reviews

    private func reviews(_ signed: Signed, made: ConsoleReviews.MadeLink?, flash: Flash?) async throws -> Response {
        let waiting = try await ConsoleReviews.waiting(store: store, tenantId: signed.tenantId)
        let model = ConsoleReviews(
            settings: signed.settings,
            texts: signed.texts,
            csrf: signed.session.csrf,
            now: clock.now()
        )
        return page(
            "console-inspections",
            signed,
            title: signed.text("consoleReviews"),
            model.context(waiting, made: made),
            flash: flash
        )
    }

    private func makeLink(
        _ signed: Signed,
        _ request: Request,
        inspectionId: String,
        logger: Logger
    ) async throws -> Response {
        guard try await signedForm(request, signed.session) != nil else {
            return try await reviews(signed, made: nil, flash: expired(signed))
        }
        let base = linkBase.current
        do {
            let (link, token) = try await store.createReviewLink(tenantId: signed.tenantId, inspectionId: inspectionId)
            {
                ReviewPaths.page(base: base, token: $0)
            }
            logger.info("review link made in the console", metadata: ["link": "\(link.id)"])
            // The URL is shown this once (the token is not stored), so this answer is the page itself, not a redirect.
            let made = ConsoleReviews.MadeLink(
                inspectionId: inspectionId.lowercased(),
                url: ReviewPaths.page(base: base, token: token)
            )
            return try await reviews(signed, made: made, flash: nil)
        } catch let error as StoreError where error.kind == .notFound {
            return notFound(signed)
        } catch let error as StoreError where error.kind == .invalidTransition {
            let flash = Flash(text: signed.text("consoleNotCompleted"), isError: true, status: .conflict)
            return try await reviews(signed, made: nil, flash: flash)
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

    /// A cookie only this server's pages under `path` receive, never a script (`Secure` behind https).
    private func cookieHeader(_ name: String, _ value: String, path: String, maxAge: Int) -> String {
        "\(name)=\(value); Path=\(path); Max-Age=\(maxAge); HttpOnly; SameSite=Strict"
            + (secureCookies ? "; Secure" : "")
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
