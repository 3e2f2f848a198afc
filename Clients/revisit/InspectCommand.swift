import ArgumentParser
import Foundation
import RevisitClient
import RevisitModel

/// `revisit inspect …`: start, complete, show and list inspections.
struct InspectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Start, complete, show and list inspections.",
        subcommands: [
            InspectStart.self, InspectComplete.self, InspectShow.self, InspectList.self, InspectReopen.self,
            InspectCancel.self,
        ]
    )
}

/// `revisit inspect start --plate P …`: prints the new inspection's id alone on the last line.
struct InspectStart: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start",
        abstract: "Start an inspection; the vehicle is found by VIN or plate, or created.",
        discussion: "Prints the inspection's id alone on the last line of stdout."
    )

    @Option(help: "The number plate.") var plate: String
    @Option(help: "The VIN (17 characters, no I, O or Q).") var vin: String?
    @Option(help: ArgumentHelp("Kilometres on the clock.", valueName: "km")) var odometer: Int64?
    @Option(help: "The checklist template.") var template = "standard-car"
    @Option(name: .customLong("customer-name"), help: "The customer's name.") var customerName: String?
    @Option(help: "The customer's phone number.") var phone: String?
    @Option(help: "The customer's e-mail address.") var email: String?
    @Option(help: "Who does the inspection (default: the name given at login).") var mechanic: String?
    @Flag(help: "Start as a draft instead of in_progress.") var draft = false
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await CLIExit.run(global) { client, output in
            let started = try await client.startInspection(
                NewInspection(
                    plate: plate,
                    vin: vin,
                    odometer: odometer,
                    templateId: template,
                    customerName: customerName,
                    phone: phone,
                    email: email,
                    mechanic: mechanic,
                    state: draft ? .draft : .inProgress
                )
            )
            let inspection = try await client.inspection(started.id.lowercasedString)
            var notes: [String] = []
            notes.append(started.createdVehicle ? "new vehicle" : "known vehicle")
            if started.createdCustomer { notes.append("new customer") }
            output.text(
                "Started inspection of \(plate) (\(notes.joined(separator: ", "))): "
                    + "\(inspection.items.count) items to check."
            )
            output.text(started.id.lowercasedString)
            output.document(
                .object([
                    "id": .string(started.id.lowercasedString),
                    "vehicleId": .string(started.vehicleId.lowercasedString),
                    "createdVehicle": .bool(started.createdVehicle), "createdCustomer": .bool(started.createdCustomer),
                    "state": .string(inspection.state.rawValue),
                ])
            )
        }
    }
}

/// `revisit inspect complete INSPECTION`.
struct InspectComplete: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "complete",
        abstract: "Mark an inspection completed, ready for review."
    )
    @Argument(help: "The inspection's id (or a unique prefix).") var inspection: String
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await CLIExit.run(global) { client, output in
            let done = try await client.completeInspection(inspection)
            let unchecked = done.items.filter { $0.status == .unchecked }.count
            output.text(
                "Inspection \(done.id.lowercasedString) is completed"
                    + (unchecked > 0 ? " (\(unchecked) items left unchecked)." : ".")
            )
            output.document(JSONRendering.inspection(done))
        }
    }
}

/// `revisit inspect reopen INSPECTION`: completed back to in_progress.
struct InspectReopen: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reopen",
        abstract: "Take a completed inspection back to in_progress."
    )
    @Argument(help: "The inspection's id (or a unique prefix).") var inspection: String
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await CLIExit.run(global) { client, output in
            let reopened = try await client.reopenInspection(inspection)
            output.text("Inspection \(reopened.id.lowercasedString) is \(reopened.state.rawValue).")
            output.document(JSONRendering.inspection(reopened))
        }
    }
}

/// `revisit inspect cancel INSPECTION`.
struct InspectCancel: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cancel", abstract: "Cancel an inspection.")
    @Argument(help: "The inspection's id (or a unique prefix).") var inspection: String
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await CLIExit.run(global) { client, output in
            let cancelled = try await client.cancelInspection(inspection)
            output.text("Inspection \(cancelled.id.lowercasedString) is cancelled.")
            output.document(JSONRendering.inspection(cancelled))
        }
    }
}

/// `revisit inspect show INSPECTION`.
struct InspectShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show an inspection with its whole checklist.",
        discussion: "Items marked * have changes not synced yet."
    )
    @Argument(help: "The inspection's id (or a unique prefix).") var inspection: String
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await CLIExit.run(global) { client, output in
            let found = try await client.inspection(inspection)
            let currency = try await client.status().currency
            // Cover lives on the server: shown when it answers, and said so when it does not.
            let cover = try? await client.itemCover(found)
            output.text(TextRendering.header(found))
            if cover == nil, found.vehicle != nil { output.text("  cover:     unknown (the server did not answer)") }
            output.text()
            output.text(TextRendering.itemTable(found.items, currency: currency, cover: cover ?? [:]))
            output.document(JSONRendering.inspection(found, cover: cover))
        }
    }
}

/// `revisit inspect list`.
struct InspectList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List inspections, newest first.")
    @Option(help: "Only inspections in this state (draft, in_progress, completed, closed, cancelled).")
    var state: InspectionState?
    @Option(help: "Only inspections of this plate.") var plate: String?
    @Option(help: "At most this many.") var limit = 50
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await CLIExit.run(global) { client, output in
            let summaries = try await client.inspections(state: state, plate: plate, limit: limit)
            var table = Table(headers: ["ID", "PLATE", "STATE", "INSPECTED", "CHECKED", "NOW", "LATER"])
            for summary in summaries {
                table.rows.append([
                    summary.id.lowercasedString + (summary.hasPendingChanges ? " *" : ""), summary.plate ?? "",
                    summary.state.rawValue, summary.inspectedAt.map { String($0.prefix(16)) } ?? "",
                    "\(summary.checkedCount)/\(summary.templateItemCount)", "\(summary.nowCount)",
                    "\(summary.laterCount)",
                ])
            }
            output.text(summaries.isEmpty ? "No inspections in this store." : table.render())
            output.document(.array(summaries.map(JSONRendering.summary)))
        }
    }
}

extension InspectionState: ExpressibleByArgument {}
extension ItemStatus: ExpressibleByArgument {}
