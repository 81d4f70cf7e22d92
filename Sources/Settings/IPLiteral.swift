#if canImport(Glibc)
import Glibc
#endif

/// An IPv4 or IPv6 address written as numbers (`inet_pton(3)`), never a
/// name: what `http.listen` binds to must not depend on a resolver.
struct IPLiteral: Sendable, Equatable {
    /// The address as `inet_ntop(3)` writes it (`::1`, not `0:0:0:0:0:0:0:1`).
    let text: String

    init?(_ text: String) {
        var v4 = in_addr()
        var v6 = in6_addr()
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        if !text.contains(":"), inet_pton(AF_INET, text, &v4) == 1 {
            guard inet_ntop(AF_INET, &v4, &buffer, socklen_t(buffer.count)) != nil else { return nil }
        } else if inet_pton(AF_INET6, text, &v6) == 1 {
            guard inet_ntop(AF_INET6, &v6, &buffer, socklen_t(buffer.count)) != nil else { return nil }
        } else {
            return nil
        }
        self.text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
