import Foundation
import Testing

@testable import Narration

/// What the facts let a narrative say: every choice true of its rows, each
/// in a section that takes its kind, dealt into slots no two of which share one.
@Suite struct ItemChoicesTests {
    private func all(_ choices: ItemChoices) -> [(section: GroundedNarrative.Section, choice: ItemChoice)] {
        GroundedNarrative.Section.allCases.flatMap { section in choices.in(section).map { (section, $0) } }
    }

    @Test func fastestAndSlowestCiteOnlyTheGroupsAtTheEnds() throws {
        for (name, sheet) in try HandSheet.all() {
            let choices = ItemChoices(sheet: sheet)
            let figures = HandSheet.groups(sheet).compactMap { HandSheet.throughput(sheet, $0) }
            let top = figures.max()
            let bottom = figures.min()
            for (_, choice) in all(choices) where choice.kind == .fastest || choice.kind == .slowest {
                #expect(choice.rows.count == 1, "\(name): \(choice)")
                let cited = try #require(HandSheet.throughput(sheet, choice.rows[0]), "\(name): \(choice) cites no group")
                #expect(cited == (choice.kind == .fastest ? top : bottom), "\(name): \(choice)")
            }
            // Every group at the top is offered (a tie offers each).
            if figures.count >= 2, top != bottom {
                let atTop = Set(HandSheet.groups(sheet).filter { HandSheet.throughput(sheet, $0) == top })
                let offered = Set(choices.in(.findings).filter { $0.kind == .fastest }.flatMap(\.rows))
                #expect(offered == atTop, "\(name)")
            }
        }
        let tied = ItemChoices(sheet: HandSheet.tiedAtTheTop())
        #expect(Set(tied.in(.findings).filter { $0.kind == .fastest }.flatMap(\.rows)) == ["Gaaa1", "Gccc3"])
        #expect(tied.in(.findings).filter { $0.kind == .slowest }.map(\.rows) == [["Gbbb2"]])
    }

    @Test func everyCompareCitesTheFasterFirst() throws {
        var compares = 0
        for (name, sheet) in try HandSheet.all() {
            for (_, choice) in all(ItemChoices(sheet: sheet)) where choice.kind == .compare {
                compares += 1
                #expect(choice.rows.count == 2, "\(name): \(choice)")
                let faster = try #require(HandSheet.throughput(sheet, choice.rows[0]), "\(name): \(choice)")
                let slower = try #require(HandSheet.throughput(sheet, choice.rows[1]), "\(name): \(choice)")
                #expect(faster > slower, "\(name): \(choice)")
            }
        }
        #expect(compares > 0)
        // Two groups at the same figure are never compared, either way round.
        let tied = ItemChoices(sheet: HandSheet.tiedAtTheTop())
        #expect(!tied.in(.findings).contains { Set($0.rows) == ["Gaaa1", "Gccc3"] })
        #expect(tied.check(.compare, rows: ["Gaaa1", "Gccc3"], in: .findings) == .failure(.unsupported(.compare)))
        #expect(tied.check(.compare, rows: ["Gbbb2", "Gaaa1"], in: .findings) == .failure(.pointsTheOtherWay))
        #expect(tied.check(.compare, rows: ["Gaaa1", "Gbbb2"], in: .findings) == .success(ItemChoice(kind: .compare, rows: ["Gaaa1", "Gbbb2"])))
    }

    @Test func aTableWithOneGroupOffersNoFastestSlowestOrCompare() throws {
        for sheet in [
            FactSheet(NarrationFixtures.facts([NarrationFixtures.gemmaFile])), HandSheet.sheet([HandSheet.group("Gaaa1", "gemma3:1b", tps: "90.5")]),
        ] {
            #expect(HandSheet.groups(sheet).count == 1)
            let choices = ItemChoices(sheet: sheet)
            let kinds = Set(all(choices).map(\.choice.kind))
            #expect(kinds.isDisjoint(with: [.fastest, .slowest, .compare]), "\(kinds)")
            #expect(kinds.contains(.throughput))
            #expect(!choices.schema.text.contains(#""fastest""#) && !choices.schema.text.contains(#""compare""#))
            #expect(!choices.text.contains("fastest") && !choices.text.contains("compare"))
        }
    }

    @Test func kindsAppearOnlyInTheirSections() throws {
        for (name, sheet) in try HandSheet.all() {
            for (section, choice) in all(ItemChoices(sheet: sheet)) {
                #expect(choice.kind.sections.contains(section), "\(name): \(choice.kind) in \(section)")
            }
        }
        // Each kind belongs to one part of the vocabulary; mitigations are recommendations.
        for kind in ItemKind.allCases {
            #expect(!kind.sections.isEmpty)
            let isRisk = kind.sections == [.risks]
            #expect(kind.mitigations.isEmpty == !isRisk, "\(kind)")
            #expect(kind.mitigations.allSatisfy { $0.sections == [.recommendations] }, "\(kind)")
            #expect(ItemKind(loosely: kind.rawValue.uppercased().replacingOccurrences(of: "_", with: "-")) == kind)
        }
        #expect(ItemKind(loosely: " Harness Failure ") == .harnessFailure)
        #expect(ItemKind(loosely: "vibes") == nil)
    }

    @Test func everyChoiceCitesRowsOfTheTable() throws {
        for (name, sheet) in try HandSheet.all() {
            let choices = ItemChoices(sheet: sheet)
            let ids = Set(sheet.rows.map(\.id))
            for (section, choice) in all(choices) {
                #expect(!choice.rows.isEmpty && choice.rows.allSatisfy(ids.contains), "\(name): \(choice)")
                #expect(choices.check(choice.kind, rows: choice.rows, in: section) == .success(choice), "\(name): \(choice)")
            }
            #expect(Set(choices.citableRows) == Set(all(choices).flatMap(\.choice.rows)))
            #expect(choices.citableRows == sheet.rows.map(\.id).filter(Set(choices.citableRows).contains))
        }
    }

    @Test func theCorpusOffersAtLeastFiveItems() throws {
        for (name, sheet) in try HandSheet.all() where name.hasPrefix("corpus") || name == "everything" {
            let choices = ItemChoices(sheet: sheet)
            #expect(choices.itemsAsked >= 5, "\(name): \(choices.text)")
            #expect(choices.itemsAsked == GroundedNarrative.Section.allCases.map { choices.slots($0).count }.reduce(0, +))
        }
    }

    @Test func slotsNeverShareAChoiceAndTogetherHoldThemAll() throws {
        for (name, sheet) in try HandSheet.all() {
            let choices = ItemChoices(sheet: sheet)
            for section in GroundedNarrative.Section.allCases {
                let slots = choices.slots(section)
                let offered = choices.in(section)
                #expect(slots.count == choices.itemCount(section), "\(name) \(section)")
                #expect(slots.count <= offered.count, "\(name) \(section)")
                #expect(offered.isEmpty == slots.isEmpty, "\(name) \(section)")
                #expect(slots.allSatisfy { !$0.isEmpty }, "\(name) \(section)")
                let dealt = slots.flatMap { $0 }
                #expect(Set(dealt).count == dealt.count, "\(name) \(section): a choice in two slots")
                #expect(Set(dealt) == Set(offered), "\(name) \(section)")
            }
            #expect(choices.itemCount(.summary) <= 1 && choices.itemCount(.recommendations) <= 2 && choices.itemCount(.risks) <= 2)
        }
    }

    @Test func aKindIsOfferedAtMostEightTimesAndBeyondThatIsNotOffered() {
        let rows = (0..<12).map { HandSheet.group("G\($0 + 10)x", "model\($0):1b", tps: String(100 - $0)) }
        let choices = ItemChoices(sheet: HandSheet.sheet(rows))
        let throughputs = choices.in(.findings).filter { $0.kind == .throughput }
        #expect(throughputs.count == ItemChoices.perKindLimit)
        // Ranked fastest first: the slowest groups are past the limit.
        #expect(throughputs.map { $0.rows[0] } == rows.prefix(ItemChoices.perKindLimit).map(\.id))
        #expect(choices.check(.throughput, rows: [rows[11].id], in: .findings) == .failure(.notOffered(.throughput)))
        #expect(choices.check(.throughput, rows: [rows[0].id], in: .findings) == .success(ItemChoice(kind: .throughput, rows: [rows[0].id])))
    }

    @Test func checkSaysWhyAnItemIsNotAChoice() throws {
        let sheet = HandSheet.everything()
        let choices = ItemChoices(sheet: sheet)
        #expect(choices.check(.fastest, rows: ["Gddd4"], in: .findings) == .failure(.unsupported(.fastest)))
        #expect(choices.check(.slowest, rows: ["Gaaa1"], in: .findings) == .failure(.unsupported(.slowest)))
        #expect(choices.check(.fastest, rows: ["Gzzzz"], in: .findings) == .failure(.unknownFacts(["Gzzzz"])))
        #expect(choices.check(.fastest, rows: [], in: .findings) == .failure(.noFacts))
        #expect(choices.check(.fastest, rows: ["Gaaa1"], in: .risks) == .failure(.wrongSection(.fastest)))
        #expect(choices.check(.compare, rows: ["Gddd4", "Gaaa1"], in: .findings) == .failure(.pointsTheOtherWay))
        #expect(choices.check(.compare, rows: ["Gaaa1", "Fer14"], in: .findings) == .failure(.notComparable))
        #expect(choices.check(.regression, rows: ["Mimp2"], in: .findings) == .failure(.unsupported(.regression)))
        #expect(choices.check(.regression, rows: ["Mreg1"], in: .summary) == .success(ItemChoice(kind: .regression, rows: ["Mreg1"])))
        #expect(choices.check(.coldStartSkews, rows: ["Gaaa1"], in: .risks) == .success(ItemChoice(kind: .coldStartSkews, rows: ["Gaaa1"])))
        #expect(choices.check(.coldStartSkews, rows: ["Gddd4"], in: .risks) == .failure(.unsupported(.coldStartSkews)))
    }

    @Test func movesOfEachVerdictOfferTheirKinds() {
        let choices = ItemChoices(sheet: HandSheet.everything())
        func rows(_ kind: ItemKind, _ section: GroundedNarrative.Section) -> [[String]] {
            choices.in(section).filter { $0.kind == kind }.map(\.rows)
        }
        #expect(rows(.regression, .findings) == [["Mreg1"]])
        #expect(rows(.improvement, .findings) == [["Mimp2"]])
        #expect(rows(.inconclusive, .findings) == [["Minc3"]])
        #expect(rows(.openRegression, .risks) == [["Mreg1"]])
        #expect(rows(.unconfirmedChange, .risks) == [["Minc3"]])
        #expect(rows(.investigate, .recommendations) == [["Mreg1"]])
        #expect(Set(rows(.pinBaseline, .recommendations)) == [["Mreg1"], ["Mimp2"]])
        // Groups under twenty runs are few; the cold group is the one whose first run was slower.
        #expect(Set(rows(.fewRuns, .risks)) == [["Gbbb2"], ["Gccc3"]])
        #expect(rows(.coldStart, .findings) == [["Gaaa1"]] && rows(.warmUp, .recommendations) == [["Gaaa1"]])
        #expect(rows(.harnessFailure, .findings).count == 2 && rows(.fixFailures, .recommendations) == [["Fer14"]])
        #expect(rows(.useConfig, .recommendations) == [["Sswp7"]] && rows(.bestConfig, .findings) == [["Sswp7"]])
    }
}
