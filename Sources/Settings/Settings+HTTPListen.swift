import Configuration

extension Settings.HTTP {
    /// `http.listen`: where the HTTP server gets its socket.
    ///
    /// The text forms are `""` (off), `HOST:PORT` with HOST an IP literal
    /// (`127.0.0.1:9464`, `[::1]:9464`), and `systemd` (or `fd`): the socket
    /// `chimerad.socket` passes (`LISTEN_FDS`). Host names are refused: what
    /// a name resolves to can change, and the served reports must not end up
    /// on an interface nobody chose.
    package enum Listen: Sendable, Hashable {
        case off
        /// An address chimerad binds itself.
        case address(host: String, port: Int)
        /// The first socket systemd passed (socket activation).
        case systemd

        /// Whether the address is a loopback one (127.0.0.0/8 or ::1), or the
        /// passed socket (whose address `chimerad.socket` chooses).
        package var isLoopback: Bool {
            switch self {
            case .off, .systemd: true
            case .address(let host, _): host == "::1" || host.hasPrefix("127.")
            }
        }

        /// The value as the config file writes it.
        package var text: String {
            switch self {
            case .off: ""
            case .systemd: "systemd"
            case .address(let host, let port): host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
            }
        }

        /// Why a text is no `http.listen` value.
        package struct Problem: Error, Equatable {
            package var reason: String
        }

        /// Parses the config file's text, or says what is wrong with it.
        package static func parse(_ text: String) -> Result<Listen, Problem> {
            let trimmed = text.trimmingSpaces
            if trimmed.isEmpty { return .success(.off) }
            if trimmed == "systemd" || trimmed == "fd" { return .success(.systemd) }
            let host: Substring
            let portText: Substring
            if trimmed.hasPrefix("[") {
                // `[IPv6]:PORT`, as in URLs.
                guard let close = trimmed.firstIndex(of: "]"), trimmed[trimmed.index(after: close)...].hasPrefix(":") else {
                    return .failure(Problem(reason: "'\(text)' is not [IPv6]:PORT, e.g. [::1]:9464"))
                }
                host = trimmed[trimmed.index(after: trimmed.startIndex)..<close]
                portText = trimmed[trimmed.index(close, offsetBy: 2)...]
            } else {
                guard let colon = trimmed.lastIndex(of: ":"), !trimmed[..<colon].contains(":") else {
                    return .failure(
                        Problem(reason: "'\(text)' is not HOST:PORT (an IPv6 host goes in brackets: [::1]:9464), nor systemd"))
                }
                host = trimmed[..<colon]
                portText = trimmed[trimmed.index(after: colon)...]
            }
            guard let port = Int(portText), (1...65_535).contains(port) else {
                return .failure(Problem(reason: "'\(text)': the port must be a number from 1 to 65535"))
            }
            guard let address = IPLiteral(String(host)) else {
                return .failure(
                    Problem(reason: "'\(text)': the host must be an IP address such as 127.0.0.1 or ::1 (a host name is not resolved)"))
            }
            return .success(.address(host: address.text, port: port))
        }
    }
}

extension Settings.HTTP.Listen: SettingValue {
    static var kind: Settings.ValueKind { .text }
    var content: ConfigContent? { .string(text) }
    static func decode(_ content: ConfigContent?) -> Result<Self, SettingValueFailure> {
        guard case .string(let text) = content else { return .failure(SettingValueFailure()) }
        return parse(text).mapError { SettingValueFailure(reason: $0.reason) }
    }
}

extension String {
    fileprivate var trimmingSpaces: Substring {
        let start = firstIndex { $0 != " " && $0 != "\t" } ?? endIndex
        let end = lastIndex { $0 != " " && $0 != "\t" }.map(index(after:)) ?? start
        return self[start..<max(start, end)]
    }
}
