import Ingest

/// The memory the files being parsed at once may take together.
///
/// Files start in order while the sum of their estimated costs
/// (`ContentParser.memoryCost`) fits the capacity; a file over it alone is
/// parsed by itself, with nothing beside it. Four 200 MiB CSVs used to be
/// parsed at once, and took over 6 GiB.
struct ParseBudget {
    /// With the process's own 30-40 MiB and the finished digests waiting for
    /// the store or being written (`IngestPass.pendingLimit` each),
    /// peak RSS stays under 512 MiB for any tree (README, "Memory").
    static let standard: Int64 = 192 << 20

    let capacity: Int64
    private(set) var inUse: Int64 = 0
    private(set) var files = 0

    init(capacity: Int64 = ParseBudget.standard) {
        self.capacity = capacity
    }

    /// Whether a file of this cost may start now: it fits beside those being
    /// parsed and `held` bytes of finished results not yet stored, or nothing
    /// is in memory at all.
    func admits(_ cost: Int64, beside held: Int64 = 0) -> Bool {
        (files == 0 && held == 0) || inUse + held + cost <= capacity
    }

    mutating func start(_ cost: Int64) {
        inUse += cost
        files += 1
    }

    mutating func finish(_ cost: Int64) {
        inUse -= cost
        files -= 1
    }

    /// A file's cost: `ContentParser.memoryCost` of its size and name.
    static func cost(of file: ScannedFile) -> Int64 {
        let name = file.relativePath.split(separator: "/").last.map(String.init) ?? file.relativePath
        return ContentParser.memoryCost(ofFileSize: file.size, fileName: name)
    }
}
