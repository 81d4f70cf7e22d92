/// A file's notes of things left out one at a time (a line, a figure): the
/// first few said each, the rest counted in one line, so a file of a
/// million bad lines is a few notes, not a million.
///
///     var notes = CappedNotes { "\($0) more like these" }
///     notes.add("line 7 names no pl: left out")
///     extraction.notes += notes.all
struct CappedNotes {
    static let saidAtMost = 5

    private(set) var said: [String] = []
    private var unsaid = 0
    /// The line that counts the rest.
    private let more: (Int) -> String

    init(more: @escaping (Int) -> String) {
        self.more = more
    }

    mutating func add(_ note: String) {
        if said.count < CappedNotes.saidAtMost { said.append(note) } else { unsaid += 1 }
    }

    /// The notes said, and the count of the rest when there are more.
    var all: [String] { unsaid == 0 ? said : said + [more(unsaid)] }
}
