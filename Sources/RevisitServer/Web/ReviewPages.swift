import Foundation
import HTTPTypes
import Hummingbird
import Logging
import RevisitModel
import RevisitStore

/// The customer's review page (DESIGN section 13): `/r/{token}` (GET the page, POST the choices),
/// `/r/{token}/photos/{sha256}` and the static files under `/assets/`. It answers these paths itself, ahead of the
/// API's body and token middleware: a customer has a link, not a bearer token, and a browser sends a form, not JSON.
struct ReviewPages<Context: RemoteAddressRequestContext>: RouterMiddleware {
    let store: any SyncStore
    let attachments: any AttachmentBlobs
    let resources: WebResources
    let proxies: TrustedProxies
    /// Unknown tokens per address: 30 a minute, then 429 (the page is public, so guessing is rate limited).
    let guesses: TokenGuard
    let clock: any WallClock
    /// Whether cookies are marked `Secure` (the public URL is https).
    let secureCookies: Bool
    /// Pages as last rendered, per link.
    let cache = ReviewPageCache()

    static var cookieName: String { "revisit_review" }
    static var formLimit: Int { 64 * 1024 }

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let path = request.uri.path
        if path.hasPrefix("/assets/") { return asset(request, name: String(path.dropFirst("/assets/".count))) }
        guard path.hasPrefix("/r/") else { return try await next(request, context) }
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
            switch (request.method, segments.count) {
            case (.get, 2), (.head, 2): return try await page(request, token: segments[1], client: client)
            case (.post, 2):
                return try await submit(request, token: segments[1], client: client, logger: context.logger)
            case (.get, 4) where segments[2] == "photos":
                return try await photo(request, token: segments[1], sha256: segments[3], client: client)
            case (_, 2): return methodNotAllowed("GET, POST")
            case (_, 4) where segments[2] == "photos": return methodNotAllowed("GET")
            default: return message(.notFound, TenantSettings(), "notFoundTitle", "notFoundBody")
            }
        } catch is TooManyGuesses {
            let seconds = guesses.retryAfter(address: client) ?? 60
            return message(
                .tooManyRequests,
                TenantSettings(),
                "tooManyTitle",
                "tooManyBody",
                extra: [.retryAfter: "\(seconds)"]
            )
        } catch let error as StoreError where error.kind == .unavailable {
            context.logger.warning("review page answered 503", metadata: ["cause": "\(error)"])
            return message(
                .serviceUnavailable,
                TenantSettings(),
                "unavailableTitle",
                "unavailableBody",
                extra: [.retryAfter: "5"]
            )
        }
    }

    // MARK: The page

    private func page(_ request: Request, token: String, client: String) async throws -> Response {
        // On a kept page, this is the only read.
        guard let visit = try await visit(token, request, client: client) else { return try notFound(client) }
        let access = visit.access
        let stamp = visit.stamp
        var view: View?
        var entry: ReviewPageCache.Entry
        if let cached = cache.entry(linkId: access.link.id, stamp: stamp) {
            entry = cached
        } else {
            let settings = stamp.settings
            let fresh = try await self.view(of: access, token: token, settings: settings)
            guard fresh.model != nil else { return message(.gone, settings, "goneTitle", "goneBody") }
            view = fresh
            entry = ReviewPageCache.Entry(stamp: stamp, settings: settings, inspectionState: fresh.inspectionState)
        }
        let settings = entry.settings
        switch ReviewLinkState(access.link, inspectionState: entry.inspectionState, now: clock.now()) {
        case .gone: return message(.gone, settings, "goneTitle", "goneBody")
        case .completed:
            guard
                let page = try await rendered(
                    \.readOnly,
                    of: access,
                    token: token,
                    entry: &entry,
                    view: &view,
                    context: {
                        $0.context(.readOnly)
                    }
                )
            else { return message(.gone, settings, "goneTitle", "goneBody") }
            return WebHeaders.html(.ok, page.page(csrf: ""))
        case .open:
            var cookie: HTTPFields = [:]
            let session: WebSessionRecord
            if let current = Self.session(of: visit) {
                session = current
                if access.link.openedAt == nil { try await store.openReviewLink(access, session: nil) }
            } else {
                let (fresh, header) = newSession(for: access, token: token)
                session = fresh
                cookie[.setCookie] = header
                try await store.openReviewLink(access, session: fresh)
            }
            guard
                let page = try await rendered(
                    \.form,
                    of: access,
                    token: token,
                    entry: &entry,
                    view: &view,
                    context: {
                        $0.context(.form(csrf: ReviewPageCache.csrfMark, sent: nil, problems: .init(), errors: []))
                    }
                )
            else { return message(.gone, settings, "goneTitle", "goneBody") }
            return WebHeaders.html(.ok, page.page(csrf: session.csrf), extra: cookie)
        }
    }

    /// The entry's page in one mode; rendered now when the entry has none yet (from `view`, which is read now if
    /// the entry came from the cache), and then kept if it may be (the inspection's template is pinned). nil when
    /// the inspection is gone meanwhile.
    private func rendered(
        _ mode: WritableKeyPath<ReviewPageCache.Entry, ReviewPageCache.Rendered?>,
        of access: ReviewAccess,
        token: String,
        entry: inout ReviewPageCache.Entry,
        view: inout View?,
        context: (ReviewPageModel) -> [String: Any]
    ) async throws -> ReviewPageCache.Rendered? {
        if let page = entry[keyPath: mode] { return page }
        let current: View
        if let view {
            current = view
        } else {
            current = try await self.view(of: access, token: token, settings: entry.settings)
        }
        view = current
        guard let model = current.model else { return nil }
        let page = ReviewPageCache.rendered(resources.render(context(model), template: "review"))
        entry[keyPath: mode] = page
        if current.pinned { cache.store(entry, linkId: access.link.id) }
        return page
    }

    // MARK: The submission

    private func submit(_ request: Request, token: String, client: String, logger: Logger) async throws -> Response {
        guard let found = try await lookUp(token, request, client: client) else { return try notFound(client) }
        let (visit, view) = found
        let access = visit.access
        let settings = view.settings
        guard let model = view.model else { return message(.gone, settings, "goneTitle", "goneBody") }
        switch view.state {
        case .gone: return message(.gone, settings, "goneTitle", "goneBody")
        case .completed: return render(.conflict, model.context(.readOnly))
        case .open: break
        }
        var request = request
        let type = request.headers[.contentType]?.lowercased() ?? ""
        guard type.hasPrefix("application/x-www-form-urlencoded") else {
            return message(.unsupportedMediaType, settings, "badFormTitle", "badFormBody")
        }
        guard let body = try? await request.collectBody(upTo: Self.formLimit) else {
            return message(.contentTooLarge, settings, "badFormTitle", "badFormBody")
        }
        let form = ReviewForm(FormBody.parse(body.readableBytesView))
        let t = resources.texts(for: settings.locale)

        // A form without this browser's session and its token was not sent from the page: shown again, nothing
        // written, with a fresh session so the next press works.
        guard let session = Self.session(of: visit), WebSecret.equal(session.csrf, form.csrf) else {
            let (fresh, header) = newSession(for: access, token: token)
            try await store.openReviewLink(access, session: fresh)
            let context = model.context(
                .form(
                    csrf: fresh.csrf,
                    sent: form.choices,
                    problems: .init(),
                    errors: [t["errorFormExpired"] ?? "errorFormExpired"]
                )
            )
            return render(.badRequest, context, extra: [.setCookie: header])
        }
        let customer = try await customerRow(of: model.vehicle, tenantId: access.tenantId)
        let plan = ReviewSubmissionPlan.make(
            inspection: model.detail,
            customer: customer,
            choices: form.choices,
            link: access.link,
            currency: settings.currency,
            now: clock.now()
        )
        switch plan {
        case .failure(let marked):
            var errors: [String] = []
            if !marked.problems.missingDecisions.isEmpty { errors.append(t["errorMissingChoices"] ?? "") }
            if !marked.problems.missingReasons.isEmpty { errors.append(t["errorMissingReasons"] ?? "") }
            if marked.problems.signature { errors.append(t["errorMissingSignature"] ?? "") }
            let context = model.context(
                .form(csrf: session.csrf, sent: form.choices, problems: marked.problems, errors: errors)
            )
            return render(.badRequest, context)
        case .success(let plan):
            do {
                _ = try await store.submitReview(
                    tenantId: access.tenantId,
                    linkId: access.link.id,
                    mutations: plan.mutations,
                    completedEvent: plan.event
                )
            } catch let error as ReviewLinkError {
                switch error {
                case .alreadyCompleted:
                    let again = try await lookUp(token, request, client: client)?.1.model ?? model
                    return render(.conflict, again.context(.readOnly))
                case .gone: return message(.gone, settings, "goneTitle", "goneBody")
                case .rejected(let problem):
                    logger.notice("review choices rejected", metadata: ["problem": "\(problem.detail)"])
                    let again = try await lookUp(token, request, client: client)?.1.model ?? model
                    let context = again.context(
                        .form(
                            csrf: session.csrf,
                            sent: form.choices,
                            problems: .init(),
                            errors: [t["errorChanged"] ?? "errorChanged"]
                        )
                    )
                    return render(.conflict, context)
                }
            }
            logger.info("review submitted", metadata: ["link": "\(access.link.id)"])
            // Post/redirect/get: a reload of the thank-you page does not send the form again.
            var headers: HTTPFields = [.location: ReviewPaths.page(base: "", token: token)]
            WebHeaders.apply(to: &headers)
            return Response(status: .seeOther, headers: headers)
        }
    }

    // MARK: Photos and static files

    private func photo(_ request: Request, token: String, sha256: String, client: String) async throws -> Response {
        guard let found = try await lookUp(token, request, client: client) else { return try notFound(client) }
        let (visit, view) = found
        let access = visit.access
        let hash = sha256.lowercased()
        let listed = (view.model?.detail.items ?? []).contains { item in
            !item.deleted && (item.fields["photos"]?.arrayValue ?? []).contains(.string(hash))
        }
        guard view.state != .gone(.expired), view.state != .gone(.revoked), listed,
            let record = try await store.attachment(tenantId: access.tenantId, sha256: hash)
        else { return message(.notFound, view.settings, "notFoundTitle", "notFoundBody") }
        var headers: HTTPFields = [.contentType: record.contentType, .contentLength: "\(record.size)"]
        WebHeaders.apply(to: &headers, cache: "private, no-store")
        let chunks = attachments.chunks(hash)
        return Response(
            status: .ok,
            headers: headers,
            body: ResponseBody { writer in
                for try await chunk in chunks { try await writer.write(ByteBuffer(bytes: chunk)) }
                try await writer.finish(nil)
            }
        )
    }

    private func asset(_ request: Request, name: String) -> Response {
        guard request.method == .get || request.method == .head, let asset = resources.assets[name] else {
            return message(.notFound, TenantSettings(), "notFoundTitle", "notFoundBody")
        }
        let etag = "\"\(asset.version)\""
        var headers: HTTPFields = [.contentType: asset.contentType, .eTag: etag]
        // The URL carries the file's hash, so a phone may keep it for a year: a new file is a new URL.
        WebHeaders.apply(to: &headers, cache: "public, max-age=31536000, immutable")
        if request.headers[.ifNoneMatch] == etag { return Response(status: .notModified, headers: headers) }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: asset.bytes))
    }

    // MARK: Looking up

    private struct View {
        var settings: TenantSettings
        /// nil when the inspection is gone (then so is the link).
        var model: ReviewPageModel?
        var state: ReviewLinkState
        var inspectionState: InspectionState?
        /// Whether the inspection names its template's version, so the page cannot change without its rows.
        var pinned: Bool
    }

    /// The visit and everything its page shows, read in the link's tenant only; nil for an unknown token.
    private func lookUp(_ token: String, _ request: Request, client: String) async throws -> (ReviewVisit, View)? {
        guard let visit = try await visit(token, request, client: client) else { return nil }
        return (visit, try await view(of: visit.access, token: token, settings: visit.stamp.settings))
    }

    /// The token's link, its tenant's stamp and the browser's session, in one read; nil for an unknown token, whose
    /// address is counted towards the limit.
    private func visit(_ token: String, _ request: Request, client: String) async throws -> ReviewVisit? {
        guard guesses.retryAfter(address: client) == nil else { throw TooManyGuesses() }
        guard let visit = try await store.reviewVisit(token: token, sessionIdHash: Self.sessionCookieHash(request))
        else {
            guesses.recordFailure(address: client)
            return nil
        }
        return visit
    }

    /// Everything the link's page shows, read in the link's tenant only.
    private func view(of access: ReviewAccess, token: String, settings: TenantSettings) async throws -> View {
        let tenant = access.tenantId
        guard let detail = try await store.inspection(tenantId: tenant, id: access.link.inspectionId) else {
            return View(
                settings: settings,
                model: nil,
                state: .gone(.inspectionCancelled),
                inspectionState: nil,
                pinned: false
            )
        }
        let fields = detail.inspection.fields
        async let vehicle = fields["vehicleId"]?.stringValue.asyncMap {
            try await store.vehicle(tenantId: tenant, id: $0)
        }
        let templateVersion = fields["templateVersion"]?.intValue.map { Int($0) }
        async let template = store.template(
            tenantId: tenant,
            id: fields["templateId"]?.stringValue ?? "standard-car",
            version: templateVersion
        )
        var mediaTypes: [String: String] = [:]
        for item in ReviewSubmissionPlan.itemsNeedingWork(detail.items) {
            for sha in (item.fields["photos"]?.arrayValue ?? []).compactMap(\.stringValue) where mediaTypes[sha] == nil
            {
                mediaTypes[sha] = try await store.attachment(tenantId: tenant, sha256: sha)?.contentType
            }
        }
        let model = ReviewPageModel(
            token: token,
            detail: detail,
            vehicle: try await vehicle??.vehicle,
            template: try await template,
            settings: settings,
            mediaTypes: mediaTypes,
            resources: resources
        )
        let inspectionState = fields["state"]?.stringValue.flatMap(InspectionState.init(rawValue:))
        return View(
            settings: settings,
            model: model,
            state: ReviewLinkState(access.link, inspectionState: inspectionState, now: clock.now()),
            inspectionState: inspectionState,
            pinned: templateVersion != nil
        )
    }

    private func customerRow(of vehicle: RowRecord?, tenantId: Int64) async throws -> RowRecord? {
        guard let id = vehicle?.fields["customerId"]?.stringValue else { return nil }
        return try await store.customer(tenantId: tenantId, id: id)
    }

    /// The hash of the browser's review cookie, if it sent a well-formed one.
    private static func sessionCookieHash(_ request: Request) -> String? {
        guard let cookie = Self.cookie(named: Self.cookieName, in: request.headers[values: .cookie]),
            WebSecret.isWellFormed(cookie)
        else { return nil }
        return WebSecret.hash(cookie)
    }

    /// The visit's session if it is a review session of this very link.
    private static func session(of visit: ReviewVisit) -> WebSessionRecord? {
        guard let session = visit.session, session.purpose == .review, session.tenantId == visit.access.tenantId,
            session.subject == visit.access.link.id
        else { return nil }
        return session
    }

    /// A session for this link until it expires, and its cookie, which only this link's path receives.
    private func newSession(for access: ReviewAccess, token: String) -> (WebSessionRecord, String) {
        let secret = WebSecret.generate()
        let session = WebSessionRecord(
            idHash: WebSecret.hash(secret),
            tenantId: access.tenantId,
            purpose: .review,
            subject: access.link.id,
            csrf: WebSecret.generate(),
            createdAt: clock.now(),
            expiresAt: access.link.expiresAt
        )
        let maxAge = max(0, Int(access.link.expiresAt.timeIntervalSince(clock.now())))
        var header = "\(Self.cookieName)=\(secret); Path=/r/\(token); Max-Age=\(maxAge); HttpOnly; SameSite=Strict"
        if secureCookies { header += "; Secure" }
        return (session, header)
    }

    static func cookie(named name: String, in headers: [String]) -> String? {
        for header in headers {
            for pair in header.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == name {
                    return parts[1].trimmingCharacters(in: .whitespaces)
                }
            }
        }
        return nil
    }

    // MARK: Answers

    private func notFound(_ client: String) throws -> Response {
        message(.notFound, TenantSettings(), "notFoundTitle", "notFoundBody")
    }

    private func render(_ status: HTTPResponse.Status, _ context: [String: Any], extra: HTTPFields = [:]) -> Response {
        WebHeaders.html(status, resources.render(context, template: "review"), extra: extra)
    }

    // swift-format-ignore: FunctionParameterCount
    private func message(
        _ status: HTTPResponse.Status,
        _ settings: TenantSettings,
        _ title: String,
        _ body: String,
        extra: HTTPFields = [:]
    ) -> Response {
        let page = PageChrome(resources: resources, settings: settings).message(title: title, body: body)
        return WebHeaders.html(status, resources.render(page, template: "message"), extra: extra)
    }

    private func methodNotAllowed(_ allow: String) -> Response {
        message(.methodNotAllowed, TenantSettings(), "notFoundTitle", "notFoundBody", extra: [.allow: allow])
    }
}

/// More unknown tokens from one address than the limit allows: answered 429 by the page's caller.
struct TooManyGuesses: Error {}

extension Optional {
    fileprivate func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
