/// The narrative as a report may show it: the items that passed the checks,
/// each stated by chimerad from the facts it cites plus the model's note, and
/// for each dropped item (and note) why.
package struct GroundedNarrative: Sendable, Equatable {
    package enum Section: String, Sendable, Equatable, CaseIterable {
        case summary, findings, recommendations, risks
    }

    /// Why a note (the model's own words beside an item) was left out. The
    /// item stays: its statement is chimerad's.
    package enum DropReason: Sendable, Equatable, CustomStringConvertible {
        /// A digit: every figure of a narrative is stated by chimerad.
        case holdsDigits
        /// A number no fact shows, at the precision written, and no ratio or
        /// percentage of two facts gives.
        case ungroundedNumber(String)
        /// A model the data does not hold (`llama3:8b`, `Mistral`).
        case unknownModel(String)
        /// A file the data does not hold (`results.csv`, `*.csv`).
        case unknownFile(String)
        /// A name with digits the data does not hold: hardware, versions,
        /// settings (`TPU-2019`, `A100`, `v2`, `fp16`).
        case unknownName(String)
        /// Restates the prompt: the instructions, the persona, or a fact-table row.
        case echoesPrompt
        /// Says again what an earlier kept note said.
        case duplicate
        /// Nothing in it is about benchmarks or the data.
        case offTopic
        /// About benchmarks, but not about its item: no word of it is one of
        /// the item's statement, facts or kind ("a new quantum computer architecture").
        case notAboutItsItem
        /// Names nothing of this data.
        case namesNothingOfTheData
        /// No words, only numbers or symbols, or fewer than three words.
        case notASentence
        /// Stops mid-sentence: a reply cut at its token limit.
        case unfinished
        /// A fact row's ID run into its words (`Lmjg,Llwc`, `Gyrth's`): the
        /// model quoted the table instead of writing a sentence.
        case quotesRowID
        /// Denies what the facts hold ("no run failed" beside failed runs).
        case contradictsFacts(String)
        /// Explains the facts by a cause they do not hold ("due to a bug"): its first such word.
        case unsupportedCause(String)
        /// Claims a move ("improved", "significantly") or a failure beside an
        /// item that holds none: its first such word.
        case unsupportedClaim(String)

        package var description: String {
            switch self {
            case .holdsDigits: "holds a digit"
            case .ungroundedNumber(let number): "number not in the facts: \(number)"
            case .unknownModel(let name): "model not in the data: \(name)"
            case .unknownFile(let name): "file not in the data: \(name)"
            case .unknownName(let name): "name not in the data: \(name)"
            case .echoesPrompt: "repeats the prompt"
            case .duplicate: "repeats an earlier note"
            case .offTopic: "not about the benchmarks"
            case .notAboutItsItem: "says nothing of its item"
            case .namesNothingOfTheData: "names nothing of the data"
            case .notASentence: "no words, only numbers or symbols"
            case .unfinished: "an unfinished sentence"
            case .quotesRowID: "quotes a fact row's ID"
            case .contradictsFacts(let claim): "contradicts the facts: \(claim)"
            case .unsupportedCause(let word): "gives a cause the facts do not hold: \(word)"
            case .unsupportedClaim(let word): "claims what its item does not hold: \(word)"
            }
        }
    }

    /// Why an item was dropped.
    package enum ItemDropReason: Error, Sendable, Equatable, CustomStringConvertible {
        /// A kind outside the vocabulary.
        case unknownKind(String)
        /// A kind of another section (a recommendation's kind among findings).
        case wrongSection(ItemKind)
        /// IDs the fact table does not hold.
        case unknownFacts([String])
        /// No ID at all.
        case noFacts
        /// A `compare` whose first fact is the slower.
        case pointsTheOtherWay
        /// A `compare` of facts that do not measure the same thing.
        case notComparable
        /// The facts do not show what the kind says (a `fastest` that is not).
        case unsupported(ItemKind)
        /// True, but beyond what the prompt offered (past a kind's limit).
        case notOffered(ItemKind)
        /// A risk whose mitigation is missing or does not fit it.
        case unsuitableMitigation(String)
        /// The same kind and facts as an earlier item of its section.
        case duplicate

        package var description: String {
            switch self {
            case .unknownKind(let kind): "unknown kind: \(kind)"
            case .wrongSection(let kind): "kind \(kind.rawValue) does not belong in this section"
            case .unknownFacts(let ids): "facts not in the table: \(ids.joined(separator: ", "))"
            case .noFacts: "cites no fact"
            case .pointsTheOtherWay: "the numbers point the other way"
            case .notComparable: "the facts are not comparable"
            case .unsupported(let kind): "the facts do not show \(kind.rawValue)"
            case .notOffered(let kind): "\(kind.rawValue) of facts the prompt did not offer"
            case .unsuitableMitigation(let text): "mitigation does not fit the risk: \(text)"
            case .duplicate: "repeats an earlier item"
            }
        }

        /// The reason without its detail, for counts.
        package var kind: String {
            switch self {
            case .unknownKind: "unknown kind"
            case .wrongSection: "kind of another section"
            case .unknownFacts: "facts not in the table"
            case .noFacts: "cites no fact"
            case .pointsTheOtherWay: "numbers point the other way"
            case .notComparable: "facts not comparable"
            case .unsupported: "facts do not support the kind"
            case .notOffered: "not offered"
            case .unsuitableMitigation: "unsuitable mitigation"
            case .duplicate: "repeats an earlier item"
            }
        }
    }

    /// A kept item: what chimerad states from its facts, and the model's note.
    package struct Item: Sendable, Equatable {
        package var section: Section
        package var kind: ItemKind
        /// Row IDs cited, in order.
        package var facts: [String]
        /// chimerad's sentence, every figure from `facts`.
        package var statement: String
        /// The model's words, when they passed the checks.
        package var note: String?
        /// For a risk: its mitigation.
        package var mitigation: ItemKind?
        package var mitigationStatement: String?

        package init(
            section: Section, kind: ItemKind, facts: [String], statement: String, note: String?, mitigation: ItemKind? = nil,
            mitigationStatement: String? = nil
        ) {
            self.section = section
            self.kind = kind
            self.facts = facts
            self.statement = statement
            self.note = note
            self.mitigation = mitigation
            self.mitigationStatement = mitigationStatement
        }

        /// The statement and the note, as the report prints the item.
        package var text: String {
            guard let note, !note.isEmpty else { return statement }
            return statement + " " + note
        }
    }

    package struct Dropped: Sendable, Equatable {
        package var section: Section
        /// The kind as the model wrote it.
        package var kind: String
        package var reason: ItemDropReason
    }

    /// A note left out of a kept item. Its text is never kept: its words are
    /// what must not reach a report.
    package struct DroppedNote: Sendable, Equatable {
        package var section: Section
        package var kind: ItemKind
        package var reason: DropReason
    }

    /// A row an item cites, as the model saw it.
    package struct CitedFact: Sendable, Equatable {
        package var id: String
        package var line: String
    }

    package var items: [Item]
    package var dropped: [Dropped]
    package var droppedNotes: [DroppedNote]
    /// Every row a kept item cites, in table order.
    package var factsCited: [CitedFact]

    package init(items: [Item], dropped: [Dropped], droppedNotes: [DroppedNote], factsCited: [CitedFact]) {
        self.items = items
        self.dropped = dropped
        self.droppedNotes = droppedNotes
        self.factsCited = factsCited
    }

    /// Items kept (`sentences_kept` in report.json counts these).
    package var sentencesKept: Int { items.count }
    package var sentencesDropped: Int { dropped.count }

    /// Nothing survived: the report keeps its rule-based text alone.
    package var isEmpty: Bool { items.isEmpty }

    package func items(_ section: Section) -> [Item] { items.filter { $0.section == section } }
}
