import GRDB

extension Store {
    /// The key that seals the chart files reports publish (32 random bytes,
    /// made once and kept in the store): a report takes a chart from the
    /// newest report's folder only if its seal checks, so a file planted in
    /// the output folder is never carried into the next report. The state
    /// folder is the daemon's alone; the output folder is often shared.
    package func chartSealKey() throws(Failure) -> [UInt8] {
        if let stored = try read({ db in try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'chart_seal_key'") }),
            let key = Store.bytes(hex: stored), key.count == 32
        {
            return key
        }
        var generator = SystemRandomNumberGenerator()
        let key = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let hex = key.map { String($0, radix: 16).leftPadded(to: 2) }.joined()
        return try write { db in
            // Another process may have made one meanwhile: the first stays.
            try db.execute(sql: "INSERT INTO meta (key, value) VALUES ('chart_seal_key', ?) ON CONFLICT (key) DO NOTHING", arguments: [hex])
            let kept = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'chart_seal_key'")
            return kept.flatMap(Store.bytes(hex:)) ?? key
        }
    }

    private static func bytes(hex: String) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let byte = UInt8(String(decoding: digits[index...index + 1], as: UTF8.self), radix: 16) else { return nil }
            bytes.append(byte)
        }
        return bytes
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
