import Foundation
import Hummingbird

/// The receiver's one composition root: a Hummingbird application that hands every POST, whatever its path, to
/// `receiver`, and answers a GET with a line saying what it is (handy to check it is up).
func buildReceiverApplication(host: String, port: Int, receiver: DeliveryReceiver) -> some ApplicationProtocol {
    let router = Router()
    let about = "crm-receiver: POST Revisit webhook deliveries here; verified events are printed on standard output\n"
    let deliver: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
        let body = try await request.body.collect(upTo: DeliveryReceiver.maximumBodyBytes)
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        let reply = receiver.receive(headers: headers, body: Array(buffer: body), now: Date())
        guard let message = reply.message else { return Response(status: .init(code: reply.status)) }
        return Response(
            status: .init(code: reply.status),
            headers: [.contentType: "text/plain; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: message + "\n"))
        )
    }
    // "**" matches one or more path segments, so the root needs its own routes.
    for path in ["/", "**"] {
        router.get(RouterPath(path)) { _, _ in about }
        router.post(RouterPath(path), use: deliver)
    }
    return Application(
        router: router,
        configuration: .init(address: .hostname(host, port: port), serverName: "crm-receiver")
    )
}
