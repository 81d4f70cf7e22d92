import Analysis
import Testing

/// What a report records of a run file's sessions, and how the next one
/// tells a session it read from one it did not.
@Suite struct ReadSessionsTests {
    private let group = "llama3:8b | num_ctx=2048"

    @Test func aSessionIsReadWithItsGroupStartAndRuns() throws {
        let read = ReadSessions([.init(group: group, startedAt: 1_764_554_400.25, runs: 5), .init(group: group, startedAt: nil, runs: 3)])
        let stored = try #require(ReadSessions(text: read.text), "\(read.text)")
        #expect(stored == read)
        #expect(stored.holds(group: group, startedAt: 1_764_554_400.25, runs: 5))
        #expect(stored.holds(group: group, startedAt: Double?.none, runs: 3))
        // Grown since (a run appended), another group, another start: not read.
        #expect(!stored.holds(group: group, startedAt: 1_764_554_400.25, runs: 6))
        #expect(!stored.holds(group: "llama3:8b | num_ctx=4096", startedAt: 1_764_554_400.25, runs: 5))
        #expect(!stored.holds(group: group, startedAt: 1_764_554_460, runs: 5))
    }

    /// A file of more nights than are kept keeps its latest; the earlier
    /// ones count as read, however many runs they have.
    @Test func aLongFileKeepsItsLatestSessions() throws {
        let nights = (0..<(ReadSessions.limit + 10)).map { ReadSessions.Entry(group: group, startedAt: Double($0) * 86_400, runs: 5) }
        let stored = try #require(ReadSessions(text: ReadSessions(nights).text))
        #expect(stored.holds(group: group, startedAt: 0, runs: 50))
        #expect(stored.holds(group: group, startedAt: Double(ReadSessions.limit + 9) * 86_400, runs: 5))
        #expect(!stored.holds(group: group, startedAt: Double(ReadSessions.limit + 9) * 86_400 + 3_600, runs: 5))
    }

    /// Text written otherwise (by another version, or damaged) is no record:
    /// the file's sessions are then judged by their dates alone.
    @Test func textOfAnotherShapeIsNoRecord() {
        for text in ["10", "a,b", "zz,1,2", "1f,x,2", "1f,1,"] { #expect(ReadSessions(text: text) == nil, "\(text)") }
        #expect(ReadSessions(text: "") == ReadSessions([]))
    }
}
