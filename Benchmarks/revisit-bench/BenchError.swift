/// Why a run stopped.
enum BenchError: Error, CustomStringConvertible {
    case http(what: String, status: Int, body: String)
    case badReply(what: String, detail: String)
    case server(String)

    var description: String {
        switch self {
        case .http(let what, let status, let body): "\(what) answered HTTP \(status): \(body)"
        case .badReply(let what, let detail): "\(what): \(detail)"
        case .server(let detail): detail
        }
    }
}
