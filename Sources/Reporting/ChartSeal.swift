import Crypto
import Foundation
import Records

/// Seals the charts a report publishes with a key from the state store
/// (HMAC-SHA256): the next report takes a chart from the newest report's
/// folder instead of drawing it again only when the file's seal checks. A
/// chart file planted or edited in the output folder (shared, often) fails
/// the check and is drawn anew, never carried into the next report's page.
package struct ChartSeal: Sendable {
    private let key: [UInt8]

    package init(key: [UInt8]) {
        self.key = key
    }

    /// The seal of `text`, in hex (128 bits are plenty for a check no one can retry offline).
    func seal(_ text: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: SymmetricKey(data: key))
        return DecimalText.hex(code.prefix(16))
    }

    func checks(_ text: String, seal: some StringProtocol) -> Bool {
        // Compared whole: a seal is not a secret, only its key is.
        self.seal(text) == seal
    }
}
