import Foundation
import Testing

@testable import RevisitServer

/// ``RouteTable`` is where middleware and responders take their paths from; it must be the spec's paths exactly.
@Suite("Route table")
struct RouteTableTests {
    /// `path → methods` of the spec's `paths:` section, read line by line (a path at two spaces, an operation at four).
    static func specRoutes() throws -> [String: Set<String>] {
        let spec = try String(
            contentsOf: OpenAPISpecTests.packageRoot.appending(path: "OpenAPI/openapi.yaml"),
            encoding: .utf8
        )
        let operations: Set<String> = ["get", "put", "post", "delete", "patch", "head", "options", "trace"]
        var routes: [String: Set<String>] = [:]
        var inPaths = false
        var current: String?
        for line in spec.split(separator: "\n", omittingEmptySubsequences: false) {
            if !line.hasPrefix(" "), !line.isEmpty {
                inPaths = line.hasPrefix("paths:")
                current = nil
                continue
            }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), line.hasSuffix(":") {
                current = String(line.dropFirst(2).dropLast())
                routes[current!] = []
            } else if let current, line.hasPrefix("    "), !line.hasPrefix("     "), line.hasSuffix(":") {
                let key = line.trimmingCharacters(in: .whitespaces).dropLast()
                if operations.contains(String(key)) { routes[current]?.insert(key.uppercased()) }
            }
        }
        return routes
    }

    @Test("every path and method of OpenAPI/openapi.yaml is in the table, and nothing else")
    func sameAsSpec() throws {
        let spec = try Self.specRoutes()
        #expect(spec.count > 20, "the spec's paths were read: \(spec.keys.sorted())")
        let table = Dictionary(RouteTable.all.map { ($0.path, Set($0.methods)) }) { a, _ in a }
        #expect(RouteTable.all.count == table.count, "no path twice in the table")
        for path in Set(spec.keys).union(table.keys).sorted() {
            #expect(spec[path] == table[path], "\(path): spec \(spec[path] ?? []), table \(table[path] ?? [])")
        }
    }

    @Test("a path matches its own route only, segment by segment as the router reads it")
    func matching() {
        for route in RouteTable.all {
            let sample = route.path.replacingOccurrences(of: #"\{[^}]+\}"#, with: "x-1", options: .regularExpression)
            for variant in [sample, sample + "/", "/" + sample, sample.replacingOccurrences(of: "/", with: "//")] {
                #expect(RouteTable.route(for: variant) == route, "\(variant)")
                let rivals = RouteTable.all.filter {
                    $0 != route && $0.matches(variant) && $0.wildcards <= route.wildcards
                }
                #expect(rivals.isEmpty, "\(variant) also matches \(rivals.map(\.path))")
            }
            #expect(!route.matches(sample + "/more"))
        }
        #expect(RouteTable.route(for: "/v1/attachments") == nil)
        #expect(RouteTable.route(for: "/") == nil)
        #expect(RouteTable.route(for: "/v1/sync/push")?.body == .push)
        #expect(RouteTable.route(for: "/v1/attachments/abc")?.body == .streamed)
        #expect(RouteTable.all.filter { $0.access == .open }.map(\.path) == ["/health", "/ready", "/metrics"])
    }
}
