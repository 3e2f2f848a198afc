import ArgumentParser
import Foundation
import RevisitClient
import RevisitModel

/// `revisit item …`: set and list checklist items.
struct ItemCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "item",
        abstract: "Set and list checklist items.",
        subcommands: [ItemSet.self, ItemList.self]
    )
}

/// `revisit item set INSPECTION CODE --status …`.
struct ItemSet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: "Record the finding for one checklist item.",
        discussion: """
            Without --status, a --measure past the template's thresholds sets the status they suggest \
            (e.g. 2.5 mm of tyre tread is later). --cost is in the workshop's currency (120.50 is 12050 cents). \
            --photo may be given several times; photos are kept in the store and uploaded at the next sync.
            """
    )

    @Argument(help: "The inspection's id (or a unique prefix).") var inspection: String
    @Argument(help: "The item code, e.g. brake_pads_front (revisit item list INSPECTION shows them).") var code: String
    @Option(help: "The finding.") var status: ItemStatus?
    @Option(help: ArgumentHelp("The measured value, in the template's unit.", valueName: "value")) var measure: Double?
    @Option(
        name: .customLong("remaining-km"),
        help: ArgumentHelp("Kilometres left before it needs doing.", valueName: "km")
    )
    var remainingKm: Int64?
    @Option(name: .customLong("due-date"), help: ArgumentHelp("When it falls due.", valueName: "YYYY-MM-DD"))
    var dueDate: String?
    @Option(help: ArgumentHelp("A note.", valueName: "text")) var note: String?
    @Option(help: ArgumentHelp("Estimated cost in the workshop's currency, e.g. 120.50.", valueName: "amount"))
    var cost: String?
    @Option(help: ArgumentHelp("A photo or video file.", valueName: "file")) var photo: [String] = []
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await CLIExit.run(global) { client, output in
            var change = ItemChange(
                status: status,
                measurement: measure.map { MeasuredValue(value: $0) },
                note: note,
                remainingKm: remainingKm,
                dueDate: dueDate,
                photoFiles: photo.map { URL(filePath: $0) }
            )
            let currency = try await client.status().currency
            if let cost {
                guard let money = Money.parse(cost, currency: currency) else {
                    throw RevisitClientError(
                        .invalidValue,
                        "--cost \(cost) is not an amount in \(currency) like 120.50 "
                            + "(at most \(Money.minorDigits(of: currency)) decimals)"
                    )
                }
                change.estimatedCost = money
            }
            if let dueDate, CalendarDate(dueDate) == nil {
                throw RevisitClientError(.invalidValue, "--due-date \(dueDate) is not a date written YYYY-MM-DD")
            }
            let item = try await client.setItem(inspection, code: code, change)
            output.text(TextRendering.itemTable([item], currency: currency))
            output.document(JSONRendering.item(item))
        }
    }
}

/// `revisit item list INSPECTION`.
struct ItemList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List an inspection's checklist items and their codes.",
        discussion: "Items marked * have changes not synced yet."
    )
    @Argument(help: "The inspection's id (or a unique prefix).") var inspection: String
    @Option(help: "Only items with this status.") var status: ItemStatus?
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await CLIExit.run(global) { client, output in
            let found = try await client.inspection(inspection)
            let items = found.items.filter { status == nil || $0.status == status }
            let currency = try await client.status().currency
            var table = Table(headers: ["CODE", "TITLE", "STATUS", "MEASURED", "COST", "DECISION"])
            for item in items {
                table.rows.append([
                    item.code + (item.hasPendingChanges ? " *" : ""), item.title, item.status.rawValue,
                    TextRendering.measurement(item.measurement),
                    item.estimatedCost?.formatted(defaultCurrency: currency) ?? "",
                    item.customerDecision?.rawValue ?? "",
                ])
            }
            output.text(table.render())
            output.document(.array(items.map(JSONRendering.item)))
        }
    }
}
