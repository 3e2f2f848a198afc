import Foundation
import RevisitClient
import RevisitModel
import RevisitTestSupport
import Testing

/// The built `revisit` binary against a real server: the mechanic's walk-through, `--json`, exit codes, offline.
@Suite("The revisit command line", .serialized)
struct CLITests {
    @Test("the walk-through: login, start, set items, complete, review, sync")
    func walkThrough() async throws {
        try await TestServer.with { server in
            let cli = CLI()
            let token = try await server.token()
            let login = try await cli.run(["login", "--server", server.baseURL, "--token", token, "--mechanic", "Jana"])
            #expect(login.status == 0, "\(login.stderr)")
            let mode = try FileManager.default.attributesOfItem(atPath: cli.store)[.posixPermissions] as? Int
            #expect(mode == 0o600)

            let fresh = try await cli.run(["status", "--json"])
            #expect(fresh.status == 0)
            #expect(fresh.stdout.contains("\"lastSync\":null"))
            #expect(fresh.json.objectValue?["pending"] == 0 && fresh.json.objectValue?["rejected"] == 0)

            let start = try await cli.run([
                "inspect", "start", "--plate", "AB-123-C", "--vin", "WVWZZZ1JZXW000001", "--odometer", "84210",
                "--customer-name", "J. de Vries", "--email", "jdv@example.com",
            ])
            #expect(start.status == 0, "\(start.stderr)")
            let id = start.lastLine
            #expect(UUID(uuidString: id) != nil, "the last line is the id: \(start.stdout)")

            let photo = try PhotoFixture.write(seed: 3)
            for arguments in [
                [
                    "brake_pads_front", "--status", "later", "--measure", "3.2", "--remaining-km", "4000", "--cost",
                    "120.50",
                    "--note", "replace at next service",
                ],
                ["tyre_front_left", "--measure", "2.5"],
                ["wipers", "--status", "now", "--photo", photo.path],
            ] {
                let set = try await cli.run(["item", "set", id] + arguments)
                #expect(set.status == 0, "\(arguments): \(set.stderr)")
            }
            let typo = try await cli.run(["item", "set", id, "brake_pad_front", "--status", "ok"])
            #expect(typo.status == 1)
            #expect(typo.stderr.contains("unknown item code") && typo.stderr.contains("brake_pads_front"))
            let typoJSON = try await cli.run(["item", "set", id, "brake_pad_front", "--status", "ok", "--json"])
            let error = try JSONValue.parse(Data(typoJSON.stderr.utf8)).objectValue
            #expect(error?["error"] == "unknown-item-code")
            #expect(error?["suggestions"]?.arrayValue?.first == "brake_pads_front")

            let horn = try await cli.run(["item", "set", String(id.prefix(24)), "horn", "--status", "ok", "--json"])
            #expect(horn.json.objectValue?["status"] == "ok")
            let items = try await cli.run(["item", "list", id, "--json"])
            #expect(items.json.arrayValue?.count == BuiltInTemplates.standardCar.items.count)
            let tyre = items.json.arrayValue?.first { $0.objectValue?["code"] == "tyre_front_left" }?.objectValue
            #expect(tyre?["status"] == "later")

            #expect(try await cli.run(["inspect", "complete", id]).status == 0)
            let review = try await cli.run([
                "review", id, "--approve", "wipers", "--defer", "brake_pads_front", "tyre_front_left", "--close",
            ])
            #expect(review.status == 0, "\(review.stderr)")
            let sync = try await cli.run(["sync"])
            #expect(sync.status == 0, "\(sync.stderr)")
            #expect(sync.stdout.contains("Synced"))
            #expect(sync.stderr.contains("Sending changes"))

            let status = try await cli.run(["status", "--json"]).json.objectValue
            #expect(status?["pending"] == 0 && status?["rejected"] == 0)
            #expect(status?["lastSync"]?.stringValue.flatMap(RFC3339DateTime.date(from:)) != nil)

            let api = API(baseURL: server.baseURL, token: token)
            let inspection = try await api.get("/v1/inspections/\(id)")
            #expect(inspection["state"] == "closed")
            #expect(inspection["mechanic"] == "Jana")
            let onServer = try await api.items(ofInspection: id)
            #expect(onServer["brake_pads_front"]?["estimatedCost"] == ["amount": 12050, "currency": "EUR"])
            #expect(onServer["brake_pads_front"]?["customerDecision"] == "deferred")
            #expect(onServer["tyre_front_left"]?["customerDecision"] == "deferred")
            #expect(onServer["wipers"]?["customerDecision"] == "approved")
            #expect(onServer["wipers"]?["photos"]?.arrayValue?.count == 1)
            #expect(onServer["horn"]?["status"] == "ok")

            let show = try await cli.run(["inspect", "show", id, "--json"]).json.objectValue
            #expect(show?["state"] == "closed" && show?["pending"] == false)
            #expect(show?["vehicle"]?.objectValue?["plate"] == "AB-123-C")
            let list = try await cli.run(["inspect", "list", "--json"]).json.arrayValue
            #expect(list?.count == 1 && list?.first?.objectValue?["id"] == .string(id))
            #expect(try await cli.run(["conflicts", "--json"]).json == [])
            let text = try await cli.run(["inspect", "show", id])
            #expect(text.stdout.contains("brake_pads_front") && text.stdout.contains("120.50 EUR"))
            #expect(!text.stdout.contains("COVER"), "no plan, no column")

            // A brakes warranty on the car: the advisor sees who pays for the deferred pads.
            let vehicleId = try #require(inspection["vehicleId"]?.stringValue)
            let admin = API(baseURL: server.baseURL, token: try await server.token("acme", .admin))
            let plan: JSONValue = [
                "kind": "warranty", "name": "Brakes warranty", "validUntil": "2099-12-31", "categories": ["brakes"],
            ]
            #expect(
                try await admin.send(.PUT, "/v1/vehicles/\(vehicleId)/coverage", json: ["plans": [plan]]).status == 200
            )
            let covered = try await cli.run(["inspect", "show", id])
            let padsLine = covered.stdout.split(separator: "\n").first { $0.hasPrefix("brake_pads_front") }
            #expect(covered.stdout.contains("COVER") && padsLine?.contains("warranty: Brakes warranty") == true)
            let tyreLine = covered.stdout.split(separator: "\n").first { $0.hasPrefix("tyre_front_left") }
            #expect(tyreLine?.contains("warranty") == false, "tyres are not brakes")
            let json = try await cli.run(["inspect", "show", id, "--json"]).json.objectValue
            let pads = json?["items"]?.arrayValue?.first { $0.objectValue?["code"] == "brake_pads_front" }
            #expect(pads?.objectValue?["coverage"] == ["kind": "warranty", "name": "Brakes warranty"])
        }
    }

    @Test("offline: commands work, sync fails cleanly with exit 3 and keeps everything")
    func offline() async throws {
        let server = try await TestServer.start()
        let cli = CLI()
        let token = try await server.token()
        #expect(try await cli.run(["login", "--server", server.baseURL, "--token", token]).status == 0)
        await server.stop()  // the workshop Wi-Fi is gone: nobody listens on that port any more

        let start = try await cli.run(["inspect", "start", "--plate", "XY-12-Z", "--odometer", "120000"])
        #expect(start.status == 0, "\(start.stderr)")
        let id = start.lastLine
        #expect(try await cli.run(["item", "set", id, "battery", "--status", "now", "--note", "swollen"]).status == 0)
        #expect(try await cli.run(["inspect", "complete", id]).status == 0)
        let offlineShow = try await cli.run(["inspect", "show", id])
        #expect(offlineShow.status == 0 && offlineShow.stdout.contains("cover:     unknown"))
        let before = try await cli.run(["status", "--json"]).json.objectValue
        #expect(before?["pending"] == 4)

        let sync = try await cli.run(["sync", "--retries", "1"])
        #expect(sync.status == 3)
        #expect(sync.stderr.contains("cannot reach the server"))
        #expect(sync.stderr.contains("kept"))
        let after = try await cli.run(["status", "--json"])
        #expect(after.json.objectValue?["pending"] == 4)
        #expect(after.stdout.contains("\"lastSync\":null"))
        let shown = try await cli.run(["inspect", "show", id, "--json"]).json.objectValue
        #expect(shown?["state"] == "completed")
    }

    @Test("a killed sync loses nothing: the next sync sends every change once")
    func killedSync() async throws {
        try await TestServer.with { server in
            let cli = CLI()
            let token = try await server.token()
            #expect(try await cli.run(["login", "--server", server.baseURL, "--token", token]).status == 0)
            let id = try await cli.run(["inspect", "start", "--plate", "KL-1-LL"]).lastLine
            #expect(try await cli.run(["item", "set", id, "exhaust", "--status", "later"]).status == 0)

            // The server stops answering mid-request; the process is killed while it waits.
            let (hole, port) = try LoopbackSocket.blackHole()
            defer { close(hole) }
            let client = try RevisitClient(storePath: cli.store)
            try await client.setServer(URL(string: "http://127.0.0.1:\(port)")!, token: token)
            let hanging = try cli.start(["sync"])
            try await Task.sleep(for: .seconds(1))
            hanging.kill()
            _ = try await hanging.finish()
            #expect(try await cli.run(["status", "--json"]).json.objectValue?["pending"] == 3)

            try await client.setServer(URL(string: server.baseURL)!, token: token)
            let sync = try await cli.run(["sync", "--json"])
            #expect(sync.status == 0, "\(sync.stderr)")
            #expect(sync.json.objectValue?["applied"] == 3)
            #expect(try await cli.run(["status", "--json"]).json.objectValue?["pending"] == 0)
            let items = try await API(baseURL: server.baseURL, token: token).items(ofInspection: id)
            #expect(items["exhaust"]?["status"] == "later")
        }
    }

    @Test("exit codes: token refused 4, server unreachable 3, usage 64, unknown inspection 1")
    func exitCodes() async throws {
        try await TestServer.with { server in
            let cli = CLI()
            let refused = try await cli.run(["login", "--server", server.baseURL, "--token", "rvt_wrong"])
            #expect(refused.status == 4)
            #expect(refused.stderr.contains("refused the token"))
            let port = try LoopbackSocket.closedPort()
            let unreachable = try await cli.run(["login", "--server", "http://127.0.0.1:\(port)", "--token", "x"])
            #expect(unreachable.status == 3)
            #expect(unreachable.stderr.contains("cannot reach"))
            #expect(try await cli.run(["inspect", "start"]).status == 64)
            let notLoggedIn = try await cli.run(["sync"])
            #expect(notLoggedIn.status == 1 && notLoggedIn.stderr.contains("login"))
            #expect(try await cli.run(["inspect", "show", "0000"]).status == 1)
            let token = try await server.token()
            #expect(try await cli.run(["login", "--server", server.baseURL, "--token", token]).status == 0)
            let start = try await cli.run(["inspect", "start", "--plate", "AA-1", "--json"])
            #expect(start.json.objectValue?["createdVehicle"] == true)
            let noCost = try await cli.run([
                "item", "set", start.json.objectValue?["id"]?.stringValue ?? "", "horn", "--cost", "12.345",
            ])
            #expect(noCost.status == 1 && noCost.stderr.contains("--cost"))
        }
    }
}
