import Testing

@testable import Pipeline

@Suite struct IgnoreRulesTests {
    private let rules = IgnoreRules(["*.swp", "*~", ".#*", "*.tmp", "draft-?.csv", "scratch/*.json", "[ab]x.md"])

    @Test(arguments: [
        ("runs/.bench.csv.swp", "*.swp"), ("notes.md~", "*~"), ("sub/.#lock", ".#*"), ("x.tmp", "*.tmp"),
        ("draft-1.csv", "draft-?.csv"), ("scratch/a.json", "scratch/*.json"), ("deep/bx.md", "[ab]x.md"),
    ])
    func matchesByNameOrPath(_ path: String, _ pattern: String) {
        #expect(rules.match(path) == pattern)
    }

    @Test(arguments: ["runs.csv", "swp", "a.swp.csv", "draft-10.csv", "other/scratch/a.json", "cx.md", "tmp/x.csv"])
    func leavesOtherFilesAlone(_ path: String) {
        #expect(rules.match(path) == nil)
    }

    @Test func noPatternsMatchNothing() {
        #expect(IgnoreRules([]).match("a.swp") == nil)
    }
}
