#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a directory entry is, from the type bits of its mode: skip reasons
/// name the kind of what is not a regular file.
package enum FileKind: Sendable, Equatable {
    case regular
    case folder
    case symbolicLink
    case fifo
    case socket
    case characterDevice
    case blockDevice
    case unknown

    package init(mode: mode_t) {
        switch mode & S_IFMT {
        case S_IFREG: self = .regular
        case S_IFDIR: self = .folder
        case S_IFLNK: self = .symbolicLink
        case S_IFIFO: self = .fifo
        case S_IFSOCK: self = .socket
        case S_IFCHR: self = .characterDevice
        case S_IFBLK: self = .blockDevice
        default: self = .unknown
        }
    }

    /// How reasons name it.
    package var name: String {
        switch self {
        case .regular: "regular file"
        case .folder: "folder"
        case .symbolicLink: "symbolic link"
        case .fifo: "FIFO"
        case .socket: "socket"
        case .characterDevice: "character device"
        case .blockDevice: "block device"
        case .unknown: "unknown kind"
        }
    }
}
