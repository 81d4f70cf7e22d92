import Analysis
import Dispatch
import Records
import Store

/// Digests fetched from the store and decoded a batch ahead, on a thread of
/// their own, while the analyzer adds the batch before: adding is in order
/// and on one thread, and a report after one changed file reads every file
/// of that file's run groups (400 digests in a 2,000-file tree), half of
/// that time fetching and decoding while the second core was idle. At most
/// two batches are decoded at a time, whatever the number of files.
///
///     try DigestPrefetch.forEach(requests, store: store) { index, decoded in
///         if case .digest(let digest, _) = decoded { analyzer.add(path: paths[index], digest: digest) }
///     }
enum DigestPrefetch {
    /// One file to read: its entry as stored, and how much of its digest to decode.
    struct Request: Sendable {
        var entry: RegistryEntry
        var ledgers: Bool
        /// Other results are skipped, not decoded, for a file of this shape (nil: decoded).
        var othersSkippedAs: Shape?
    }

    enum Decoded: Sendable {
        case digest(FileDigest, bytes: Int)
        /// No digest stored, or one that does not decode: why.
        case damaged(String)
    }

    static let batchSize = 64

    /// Calls `body` with each request's position and its digest, in order.
    /// A store failure ends the walk with that error, as one from `body` does.
    static func forEach(_ requests: [Request], store: Store, _ body: (Int, Decoded) throws -> Void) throws {
        let starts = Array(stride(from: 0, to: requests.count, by: batchSize))
        var next = starts.first.map { Batch(requests[$0..<min($0 + batchSize, requests.count)], store: store) }
        // A batch still decoding when the walk ends early is waited for: it
        // must not outlive the walk and read a store the caller closes next.
        defer { next?.wait() }
        for (number, start) in starts.enumerated() {
            guard let current = next else { break }
            let decoded = try current.decoded()
            next = starts.dropFirst(number + 1).first.map { Batch(requests[$0..<min($0 + batchSize, requests.count)], store: store) }
            for (offset, item) in decoded.enumerated() { try body(start + offset, item) }
        }
    }

    /// Fetches and decodes `requests` (on the calling thread).
    static func decode(_ requests: ArraySlice<Request>, store: Store) throws -> [Decoded] {
        var decoded: [Decoded] = []
        decoded.reserveCapacity(requests.count)
        let entries = requests.map(\.entry)
        try store.forEachDigest(of: entries) { offset, blobs in
            let request = requests[requests.startIndex + offset]
            guard let digest = blobs.digest() else {
                decoded.append(.damaged("\(BinaryReader.Failure.invalid("no digest stored"))"))
                return
            }
            do {
                let file = try FileDigest(decoding: digest, ledgers: request.ledgers, othersSkippedAs: request.othersSkippedAs)
                decoded.append(.digest(file, bytes: digest.count))
            } catch let failure as BinaryReader.Failure {
                decoded.append(.damaged("\(failure)"))
            }
        }
        return decoded
    }

    /// One batch, decoding on its own thread (or on the caller's when no
    /// thread can be created).
    private final class Batch: @unchecked Sendable {
        /// Written by the decoding thread before `done` is signalled; read only after.
        private var outcome: Result<[Decoded], any Error> = .success([])
        private let done = DispatchSemaphore(value: 0)
        private var waited = false

        init(_ requests: ArraySlice<Request>, store: Store) {
            let work: @Sendable () -> Void = { [self] in
                outcome = Result { try DigestPrefetch.decode(requests, store: store) }
                done.signal()
            }
            if DetachedThread.start(name: "digest decode", work) != 0 { work() }
        }

        /// Waits for the batch (once; later calls return at once).
        func wait() {
            guard !waited else { return }
            done.wait()
            waited = true
        }

        /// The batch's digests, once decoded.
        func decoded() throws -> [Decoded] {
            wait()
            return try outcome.get()
        }
    }
}
