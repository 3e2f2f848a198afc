import Foundation

/// A tenant's follow-up settings (DESIGN section 6, Contract): `GET`/`PATCH /v1/settings`.
///
/// They live in the model so the planner, the store and the API agree on the defaults and on what a valid value
/// is. Decoding fills in the default of every missing key, so settings stored before a key existed still read.
public struct TenantSettings: Sendable, Hashable, Codable {
    /// The IANA time zone of the workshop: releases happen at 08:00 local time and dates are local days.
    public var timeZone: String
    /// The ISO 4217 code of amounts without their own currency.
    public var currency: String
    /// How many days before the due date a follow-up is released (before any widening for uncertain estimates).
    public var leadTimeDays: Int
    /// The kilometres per day assumed for a vehicle whose own readings give no estimate.
    public var kmPerDay: Double
    /// One follow-up at a time, or a monthly batch.
    public var releaseMode: ReleaseMode
    /// The day of the month of the monthly batch (1…28, so every month has it).
    public var releaseDay: Int
    /// The language of the customer's review page (DESIGN section 13).
    public var locale: PageLocale
    /// The name the customer knows the workshop by, on the review page; empty until the admin sets it.
    public var workshopName: String
    /// The number the review page tells a customer to call when their link no longer works; empty when unset.
    public var workshopPhone: String
    /// How long a review link opens its inspection, in days.
    public var reviewLinkDays: Int

    /// The defaults: UTC, EUR, 14 days of lead, 36 km a day, continuous release, batch day 1.
    public init() {
        timeZone = "UTC"
        currency = "EUR"
        leadTimeDays = 14
        kmPerDay = 36
        releaseMode = .continuous
        releaseDay = 1
        locale = .en
        workshopName = ""
        workshopPhone = ""
        reviewLinkDays = 7
    }

    /// The time zone to compute in; UTC if the stored name is unknown to this system.
    public var zone: TimeZone {
        TimeZone(identifier: timeZone) ?? .gmt
    }

    /// The settings as the API shows them.
    public var json: [String: JSONValue] {
        [
            "timeZone": .string(timeZone),
            "currency": .string(currency),
            "leadTimeDays": .int(Int64(leadTimeDays)),
            "kmPerDay": .double(kmPerDay),
            "releaseMode": .string(releaseMode.rawValue),
            "releaseDay": .int(Int64(releaseDay)),
            "locale": .string(locale.rawValue),
            "workshopName": .string(workshopName),
            "workshopPhone": .string(workshopPhone),
            "reviewLinkDays": .int(Int64(reviewLinkDays)),
        ]
    }

    private enum CodingKeys: String, CodingKey {
        case timeZone, currency, leadTimeDays, kmPerDay, releaseMode, releaseDay, locale, workshopName, workshopPhone
        case reviewLinkDays
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        var settings = TenantSettings()
        if let value = try container.decodeIfPresent(String.self, forKey: .timeZone) { settings.timeZone = value }
        if let value = try container.decodeIfPresent(String.self, forKey: .currency) { settings.currency = value }
        if let value = try container.decodeIfPresent(Int.self, forKey: .leadTimeDays) { settings.leadTimeDays = value }
        if let value = try container.decodeIfPresent(Double.self, forKey: .kmPerDay) { settings.kmPerDay = value }
        if let value = try container.decodeIfPresent(ReleaseMode.self, forKey: .releaseMode) {
            settings.releaseMode = value
        }
        if let value = try container.decodeIfPresent(Int.self, forKey: .releaseDay) { settings.releaseDay = value }
        if let value = try container.decodeIfPresent(PageLocale.self, forKey: .locale) { settings.locale = value }
        if let value = try container.decodeIfPresent(String.self, forKey: .workshopName) {
            settings.workshopName = value
        }
        if let value = try container.decodeIfPresent(String.self, forKey: .workshopPhone) {
            settings.workshopPhone = value
        }
        if let value = try container.decodeIfPresent(Int.self, forKey: .reviewLinkDays) {
            settings.reviewLinkDays = value
        }
        self = settings
    }
}

extension TenantSettings {
    /// The settings a tenant row stores as JSON `text`: nil, or text this version cannot read, is the defaults. The
    /// one reading of the stored form, for every store and for a page stamped with the text.
    public init(storedText text: String?) {
        self = text.flatMap { try? JSONDecoder().decode(TenantSettings.self, from: Data($0.utf8)) } ?? TenantSettings()
    }
}
