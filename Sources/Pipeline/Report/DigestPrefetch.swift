import Analysis
import Dispatch
import Records
import Store

/// Digests fetched from the store and decoded a batch ahead, on a thread of
/// their own, while the analyzer adds the batch before: adding is in order
/// and on one thread, and a report after one changed file reads every file
/// of that file's run groups (400 digests in a 2,000-file tree), half of
/// that time fetching and decoding while the second core was idle. A batch
/// ends at `batchSize` files or `batchBytes` stored bytes, whichever comes
/// first, and at most two are held at a time, so memory stays bounded
/// whatever the files (a file's digest is bounded on its own).
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
        /// No digest stored (`bytes` 0), or one of `bytes` that does not decode: why.
        case damaged(String, bytes: Int)
    }

    static let batchSize = 64
    static let batchBytes = 4 << 20
    /// Digests fetched in one read of the store.
    static let fetched = 8

    /// Calls `body` with each request's position and its digest, in order.
    /// A store failure ends the walk with that error, as one from `body` does.
    static func forEach(_ requests: [Request], store: Store, _ body: (Int, Decoded) throws -> Void) throws {
        var next = requests.isEmpty ? nil : Batch(requests, from: requests.startIndex, store: store)
        // A batch still decoding when the walk ends early is waited for: it
        // must not outlive the walk and read a store the caller closes next.
        defer { next?.wait() }
        while let current = next {
            let decoded = try current.decoded()
            let end = current.start + decoded.count
            next = end < requests.endIndex ? Batch(requests, from: end, store: store) : nil
            for (offset, item) in decoded.enumerated() { try body(current.start + offset, item) }
        }
    }

    /// Fetches and decodes requests from `start` on (on the calling thread),
    /// until `count` files or `bytes` stored bytes; at least one.
    static func decode(
        _ requests: [Request], from start: Int, store: Store, count: Int = batchSize, bytes limit: Int = batchBytes
    ) throws -> [Decoded] {
        var decoded: [Decoded] = []
        var bytes = 0
        var end = start
        // Fetched a few at a time, so a batch stops soon after its bytes are reached.
        while end < requests.endIndex, decoded.count < count, decoded.isEmpty || bytes < limit {
            let slice = requests[end..<min(end + fetched, requests.endIndex, start + count)]
            try store.forEachDigest(of: slice.map(\.entry)) { offset, blobs in
                let request = slice[slice.startIndex + offset]
                guard let digest = blobs.digest() else {
                    decoded.append(.damaged("\(BinaryReader.Failure.invalid("no digest stored"))", bytes: 0))
                    return
                }
                bytes += digest.count
                do {
                    let file = try FileDigest(decoding: digest, ledgers: request.ledgers, othersSkippedAs: request.othersSkippedAs)
                    decoded.append(.digest(file, bytes: digest.count))
                } catch let failure as BinaryReader.Failure {
                    decoded.append(.damaged("\(failure)", bytes: digest.count))
                }
            }
            end = slice.endIndex
        }
        return decoded
    }

    /// One batch, decoding on its own thread (or on the caller's when no
    /// thread can be created).
    private final class Batch: @unchecked Sendable {
        let start: Int
        /// Written by the decoding thread before `done` is signalled; read only after.
        private var outcome: Result<[Decoded], any Error> = .success([])
        private let done = DispatchSemaphore(value: 0)
        private var waited = false

        init(_ requests: [Request], from start: Int, store: Store) {
            self.start = start
            let work: @Sendable () -> Void = { [self] in
                outcome = Result { try DigestPrefetch.decode(requests, from: start, store: store) }
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
