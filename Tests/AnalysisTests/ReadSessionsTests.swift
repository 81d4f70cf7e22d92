import Analysis
import Testing

/// What a report records of a run file's sessions, and how the next one
/// tells a session it read from one it did not.
@Suite struct ReadSessionsTests {
    private let group = "llama3:8b\u{1}num_ctx=2048"

    private func night(_ day: Double, group: String? = nil, minutes: Double = 5, runs: Int = 5) -> ReadSessions.Entry {
        ReadSessions.Entry(group: group ?? self.group, startedAt: day * 86_400, endedAt: day * 86_400 + minutes * 60, runs: runs)
    }

    @Test func aSessionIsReadWithItsGroupStartAndEnd() throws {
        let undated = ReadSessions.Entry(group: group, startedAt: nil, endedAt: nil, runs: 3)
        let read = ReadSessions([night(1), undated])
        let stored = try #require(ReadSessions(text: read.text), "\(read.text)")
        #expect(stored == read)
        #expect(stored.holds(night(1)) && stored.holds(undated))
        // An undated failure joining it adds a run, not an end: still read.
        #expect(stored.holds(night(1, runs: 6)))
        // Grown since (a run appended moves its end), another group, another start: not read.
        #expect(!stored.holds(night(1, minutes: 6)))
        #expect(!stored.holds(night(1, group: "llama3:8b\u{1}num_ctx=4096")))
        #expect(!stored.holds(night(1.5)))
        // An undated session with more runs than were read is new.
        #expect(!stored.holds(ReadSessions.Entry(group: group, startedAt: nil, endedAt: nil, runs: 4)))
    }

    /// A file of more nights than are kept keeps its latest by start; those
    /// left out, up to the latest of them and ties with it, count as read.
    @Test func aLongFileKeepsItsLatestSessions() throws {
        let limit = Double(ReadSessions.limit)
        // Two configurations a night, started together: ties at every start.
        let nights = (0..<(ReadSessions.limit + 10)).flatMap { day in
            [night(Double(day)), night(Double(day), group: "llama3:8b\u{1}num_ctx=4096")]
        }
        let stored = try #require(ReadSessions(text: ReadSessions(nights).text))
        #expect(nights.allSatisfy(stored.holds), "every night read stays read")
        #expect(stored.holds(night(0, runs: 50)))
        #expect(!stored.holds(night(limit + 9.5)))
    }

    /// Text written otherwise (by another version, or damaged) is no record:
    /// the file's sessions are then judged by their dates alone.
    @Test func textOfAnotherShapeIsNoRecord() {
        for text in ["10", "a,b", "zz,1,2,3", "1f,x,2,3", "1f,1,2,", "1f,1,2", "+x;1f,1,2,3"] {
            #expect(ReadSessions(text: text) == nil, "\(text)")
        }
        #expect(ReadSessions(text: "") == ReadSessions([]))
    }
}
