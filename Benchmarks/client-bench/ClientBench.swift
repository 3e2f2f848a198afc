import ArgumentParser
import Foundation

/// Benchmarks the reference client: the first sync of a large tenant into an empty client store (time and the
/// client process's peak memory), and incremental syncs of a single change. Prints a table.
@main
struct ClientBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revisit-client-bench",
        abstract: "Benchmark the Revisit client library's sync (first sync, peak memory, incremental sync).",
        discussion:
            "Build in release (see Benchmarks/client-bench/README.md). Progress goes to stderr, the table to stdout.",
        subcommands: [BenchRun.self, SyncChild.self],
        defaultSubcommand: BenchRun.self
    )
}
