import Foundation
import RevisitAPI
import RevisitModel
import RevisitStore
import Testing

@testable import RevisitServer

/// The push is read by ``PushRequestReader``; it must accept and refuse exactly what the spec's generated
/// `PushRequest` decoder does, and read the same mutations.
@Suite("Push request reader")
struct PushRequestReaderTests {
    static let client = "3f9c1d2e-8a4b-4c6d-9e0f-1a2b3c4d5e6f"
    static func mutation(
        _ extra: String = "",
        id: String = "1",
        hlc: String = #"{"wall": 1764000000000, "counter": 2}"#,
        fields: String = #", "fields": {"name": "A", "n": [1, 2.5, null, {"x": true}]}"#
    ) -> String {
        #"{"id": \#(id), "entity": "customer", "entityId": "0193a0c4-7f1e-7cc2-9d35-3b1f1e9d2a01", "op": "upsert", "baseVersion": 7, "hlc": \#(hlc)\#(fields)\#(extra)}"#
    }

    static let bodies: [String] = [
        #"{"clientId": "\#(client)", "mutations": [\#(mutation())]}"#,
        #"{"clientId": "\#(client)", "mutations": []}"#,
        #"{"clientId": "\#(client)", "mutations": [\#(mutation(fields: ""))]}"#,
        #"{"clientId": "\#(client)", "mutations": [\#(mutation(fields: #", "fields": null"#))]}"#,
        #"{"clientId": "\#(client)", "mutations": [\#(mutation(id: "2.0"))]}"#,
        #"{"clientId": "\#(client)", "mutations": [\#(mutation(id: "2.5"))]}"#,
        #"{"clientId": "\#(client)", "mutations": [\#(mutation(id: "\"1\""))]}"#,
        #"{"clientId": "\#(client)", "mutations": [\#(mutation(id: "1e300"))]}"#,
        #"{"clientId": "\#(client)", "mutations": [\#(mutation(#", "x": 1"#))]}"#,
        #"{"clientId": "\#(client)", "mutations": [\#(mutation(hlc: #"{"wall": 1}"#))]}"#,
        #"{"clientId": "\#(client)", "mutations": [\#(mutation(hlc: #"{"wall": 1, "counter": 0, "node": 3}"#))]}"#,
        #"{"clientId": "\#(client)", "mutations": [\#(mutation(fields: #", "fields": [1]"#))]}"#,
        #"{"clientId": "\#(client)", "mutations": [\#(mutation().replacingOccurrences(of: #""op": "upsert""#, with: #""op": "merge""#))]}"#,
        #"{"clientId": "\#(client)", "mutations": [\#(mutation().replacingOccurrences(of: #""op": "upsert""#, with: #""op": "delete""#))]}"#,
        #"{"clientId": "\#(client)", "mutations": {}}"#,
        #"{"clientId": 5, "mutations": []}"#,
        #"{"mutations": []}"#,
        #"{"clientId": "\#(client)", "mutations": [], "extra": true}"#,
        #"[]"#, #"null"#, #"{"#, "",
    ]

    @Test("accepts and refuses what the generated decoder does, reading the same mutations", arguments: bodies)
    func sameAsGenerated(_ body: String) throws {
        let ours = Result { try PushRequestReader.read(Array(body.utf8)) }
        let generated = Result { try JSONDecoder().decode(Components.Schemas.PushRequest.self, from: Data(body.utf8)) }
        switch (ours, generated) {
        case (.success(let request), .success(let reference)):
            #expect(request.clientId == reference.clientId)
            #expect(request.mutations.count == reference.mutations.count)
            for (a, b) in zip(request.mutations, reference.mutations) {
                #expect(a.id == b.id && a.entity == b.entity && a.entityId == b.entityId)
                #expect(a.op.rawValue == b.op.rawValue && a.baseVersion == b.baseVersion)
                #expect(a.hlc == HLC(wall: b.hlc.wall, counter: b.hlc.counter))
                #expect(JSONValue.object(a.fields).sameValue(as: .object(b.fields?.jsonFields ?? [:])))
            }
        case (.failure(let error), .failure):
            #expect((error as? APIProblem)?.type == "malformed-request")
        default:
            Issue.record("disagree on \(body): ours \(ours), generated \(generated)")
        }
    }
}
