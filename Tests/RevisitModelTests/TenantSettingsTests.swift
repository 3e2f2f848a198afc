import Foundation
import Testing

@testable import RevisitModel

/// `GET`/`PATCH /v1/settings` (DESIGN section 6): defaults, the JSON shape and every refused value.
@Suite("Tenant settings")
struct TenantSettingsTests {
    @Test("defaults as the contract gives them")
    func defaults() {
        let settings = TenantSettings()
        #expect(settings.timeZone == "UTC")
        #expect(settings.currency == "EUR")
        #expect(settings.leadTimeDays == 14)
        #expect(settings.kmPerDay == 36)
        #expect(settings.releaseMode == .continuous)
        #expect(settings.releaseDay == 1)
        #expect(
            settings.json == [
                "timeZone": "UTC", "currency": "EUR", "leadTimeDays": 14, "kmPerDay": 36.0, "releaseMode": "continuous",
                "releaseDay": 1, "locale": "en", "workshopName": "", "workshopPhone": "", "reviewLinkDays": 7,
            ]
        )
    }

    @Test("the review page's settings: locale, workshop name and phone, link life")
    func reviewSettings() throws {
        let settings = try TenantSettings().patched(with: [
            "locale": "nl", "workshopName": "  Garage De Vries ", "workshopPhone": "+31 20 123 4567",
            "reviewLinkDays": 14,
        ])
        #expect(settings.locale == .nl && settings.workshopName == "Garage De Vries" && settings.reviewLinkDays == 14)
        for (key, value) in [
            ("locale", "de"), ("reviewLinkDays", 0), ("reviewLinkDays", 91), ("workshopName", "a\nb"),
            ("workshopName", .string(String(repeating: "x", count: 101))), ("workshopPhone", 5),
        ] as [(String, JSONValue)] {
            #expect(throws: MutationProblem.self, "\(key)=\(value)") {
                try TenantSettings().patched(with: [key: value])
            }
        }
        let stored = try JSONDecoder().decode(TenantSettings.self, from: Data(#"{"timeZone": "UTC"}"#.utf8))
        #expect(
            stored.locale == .en && stored.reviewLinkDays == 7,
            "settings stored before these keys read as defaults"
        )
    }

    @Test("a patch changes only the keys it gives")
    func patch() throws {
        let settings = try TenantSettings().patched(with: [
            "timeZone": "Europe/Amsterdam", "leadTimeDays": 21, "kmPerDay": 42.5, "releaseMode": "monthly",
            "releaseDay": 28.0,
        ])
        #expect(settings.timeZone == "Europe/Amsterdam")
        #expect(settings.currency == "EUR")
        #expect(settings.leadTimeDays == 21)
        #expect(settings.kmPerDay == 42.5)
        #expect(settings.releaseMode == .monthly)
        #expect(settings.releaseDay == 28)
        #expect(try settings.patched(with: [:]) == settings)
        #expect(try settings.patched(with: ["currency": "GBP", "kmPerDay": 1000, "leadTimeDays": 0]).currency == "GBP")
        #expect(try TenantSettings().patched(with: ["timeZone": "UTC"]).timeZone == "UTC")
        #expect(try TenantSettings().patched(with: ["timeZone": "America/Argentina/Buenos_Aires"]).timeZone != "UTC")
    }

    static let refused: [(key: String, value: JSONValue)] = [
        ("colour", "blue"),
        ("timeZone", "Mars/Olympus_Mons"), ("timeZone", "GMT+0200"), ("timeZone", "europe/amsterdam"), ("timeZone", 1),
        ("timeZone", .null), ("timeZone", ""),
        ("currency", "eur"), ("currency", "EURO"), ("currency", "E1R"), ("currency", "€"), ("currency", 978),
        ("leadTimeDays", -1), ("leadTimeDays", 366), ("leadTimeDays", 1.5), ("leadTimeDays", "14"),
        ("leadTimeDays", .null),
        ("kmPerDay", 0), ("kmPerDay", -3), ("kmPerDay", 1000.5), ("kmPerDay", "36"), ("kmPerDay", true),
        ("releaseMode", "weekly"), ("releaseMode", "Monthly"), ("releaseMode", 1),
        ("releaseDay", 0), ("releaseDay", 29), ("releaseDay", 31), ("releaseDay", 2.5), ("releaseDay", "1"),
    ]

    @Test("unknown keys, wrong types and values out of range are 422 naming the key")
    func refusedValues() {
        for (key, value) in Self.refused {
            // A valid key beside the bad one does not hide it.
            var fields: [String: JSONValue] = ["releaseDay": 3]
            fields[key] = value
            let problem = #expect(throws: MutationProblem.self, "\(key): \(value)") {
                try TenantSettings().patched(with: fields)
            }
            #expect(problem?.type == "validation")
            #expect(problem?.status == 422)
            #expect(problem?.detail.hasPrefix(key) == true, "\(problem?.detail ?? "")")
        }
    }

    @Test("stored settings read back, and missing keys read as their defaults")
    func codable() throws {
        let settings = try TenantSettings().patched(with: ["timeZone": "Asia/Tokyo", "releaseMode": "monthly"])
        let data = try JSONEncoder().encode(settings)
        #expect(try JSONDecoder().decode(TenantSettings.self, from: data) == settings)
        let partial = try JSONDecoder().decode(TenantSettings.self, from: Data(#"{"leadTimeDays": 7}"#.utf8))
        var expected = TenantSettings()
        expected.leadTimeDays = 7
        #expect(partial == expected)
        #expect(try JSONDecoder().decode(TenantSettings.self, from: Data("{}".utf8)) == TenantSettings())
    }

    @Test("the zone falls back to UTC for a name this system does not know")
    func zone() {
        var settings = TenantSettings()
        #expect(settings.zone.secondsFromGMT(for: Date()) == 0)
        settings.timeZone = "Europe/Amsterdam"
        #expect(settings.zone.identifier == "Europe/Amsterdam")
        settings.timeZone = "Nowhere/Special"
        #expect(settings.zone.secondsFromGMT(for: Date()) == 0)
    }

    @Test("the stored text reads back as it was written; none, or text this version cannot read, is the defaults")
    func storedText() throws {
        var settings = TenantSettings()
        settings.workshopName = "Garage Stored"
        settings.leadTimeDays = 21
        let text = String(decoding: try JSONEncoder().encode(settings), as: UTF8.self)
        #expect(TenantSettings(storedText: text) == settings)
        #expect(TenantSettings(storedText: nil) == TenantSettings())
        #expect(TenantSettings(storedText: "not json") == TenantSettings())
    }
}
