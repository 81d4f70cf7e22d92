import ArgumentParser
import Foundation
import Reporting
import Store
import Systemd

/// `chimerad baseline pin|show|clear`: fix what new sessions are compared
/// with (the sessions there now), instead of the sessions just before them.
struct BaselineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baseline",
        abstract: "Pin, show or clear the baseline new sessions are compared with.",
        subcommands: [Pin.self, Show.self, Clear.self],
        defaultSubcommand: Show.self
    )

    /// An empty `--model` would mean every group (`--model "$M"` with `M`
    /// unset): refused, so that only leaving it out means that.
    static func trimmed(_ text: String) -> String {
        text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func requireName(_ model: String?) throws {
        guard let model, model.allSatisfy({ $0.isWhitespace }) else { return }
        throw ValidationError("--model needs a model name, as reports name it; leave --model out for every group")
    }

    static func line(_ pin: Store.BaselinePin) -> String {
        let scope = pin.model.isEmpty ? "every group" : "model \(pin.model)"
        let note = pin.note.isEmpty ? "" : ": \(pin.note)"
        // Said by when its sessions were measured, not by the store's change counter.
        let measured = pin.dataUntil.map { ", measured up to \(Timestamps.iso8601(Date(timeIntervalSince1970: $0)))" } ?? ""
        return LogText.escaped("\(scope): pinned \(pin.pinnedAt) (the sessions stored by then\(measured))\(note)")
    }

    struct Pin: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "pin",
            abstract: "Compare new sessions with the sessions stored now, from the next report on (every group, or one model's).")

        @OptionGroup var options: ConfigOptions

        @Option(name: .long, help: "Where the state store lives (default: state.directory).")
        var state: String?

        // Blanks around a name are no part of it, as in the files (`llama3:8b ` is `llama3:8b`).
        @Option(name: .long, help: "Pin only this model's groups (as reports name it).", transform: BaselineCommand.trimmed)
        var model: String?

        @Option(name: .long, help: "Why (kept with the pin).")
        var note: String = ""

        func validate() throws {
            try BaselineCommand.requireName(model)
        }

        func run() async throws {
            let store = try await options.existingStore(state: state)
            do {
                let pin = try store.pinBaseline(model: model ?? "", note: note, at: ISO8601DateFormatter().string(from: Date()))
                print(BaselineCommand.line(pin))
                if model == nil, pin.filesUntil == nil, pin.dataUntil == nil {
                    // A baseline of nothing (no file analysed by then, of any tool): every later session would go untested.
                    let text =
                        "note: no report has stored a session yet, so the pin holds none: new sessions are not tested until `chimerad baseline clear`"
                    FileHandle.standardError.write(Data((text + "\n").utf8))
                } else if let model, let known = try? store.knownModels(), !known.contains(model) {
                    // Kept (its runs may land later), but a typo should not pass unseen.
                    let listed = known.prefix(8).joined(separator: ", ") + (known.count > 8 ? ", ..." : "")
                    let text =
                        "note: the reports' cached groups have no runs of model \(model)\(known.isEmpty ? "" : " (reports name: \(listed))"); the pin applies once its runs are stored"
                    FileHandle.standardError.write(Data((LogText.escaped(text) + "\n").utf8))
                }
            } catch {
                throw fail("\(error)", ExitStatus.failure)
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "List the pinned baselines.")

        @OptionGroup var options: ConfigOptions

        @Option(name: .long, help: "Where the state store lives (default: state.directory).")
        var state: String?

        func run() async throws {
            let store = try await options.existingStore(state: state, toRead: true)
            do {
                let pins = try store.baselinePins()
                if pins.isEmpty { print("no pinned baseline: each new session is compared with the sessions before it") }
                for pin in pins { print(BaselineCommand.line(pin)) }
            } catch {
                throw fail("\(error)", ExitStatus.failure)
            }
        }
    }

    struct Clear: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "clear", abstract: "Remove pins: one model's (--model), the every-group pin (--all-groups), or all.")

        @OptionGroup var options: ConfigOptions

        @Option(name: .long, help: "Where the state store lives (default: state.directory).")
        var state: String?

        @Option(name: .long, help: "Remove only this model's pin.", transform: BaselineCommand.trimmed)
        var model: String?

        @Flag(name: .long, help: "Remove only the pin of every group.")
        var allGroups = false

        func validate() throws {
            try BaselineCommand.requireName(model)
            if model != nil && allGroups {
                throw ValidationError("--model and --all-groups name different pins: give one of them (or neither, to remove every pin)")
            }
        }

        func run() async throws {
            let store = try await options.existingStore(state: state)
            do {
                let pinned = try store.baselinePins()
                let removed = try store.clearBaselinePins(model: allGroups ? "" : model)
                print("\(removed) pin\(removed == 1 ? "" : "s") removed")
                if removed == 0, let model, !pinned.isEmpty {
                    // Nothing to remove is done, but a typo should not pass unseen.
                    let names = pinned.map { $0.model.isEmpty ? "every group (--all-groups)" : $0.model }.joined(separator: ", ")
                    FileHandle.standardError.write(Data((LogText.escaped("note: model \(model) has no pin; pinned: \(names)") + "\n").utf8))
                }
            } catch {
                throw fail("\(error)", ExitStatus.failure)
            }
        }
    }
}
