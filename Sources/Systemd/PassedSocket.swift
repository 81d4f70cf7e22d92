import CSystemd

#if canImport(Glibc)
import Glibc
#endif

/// The listening socket systemd passes a socket-activated service
/// (`chimerad.socket`, `sd_listen_fds(3)`): `LISTEN_FDS` and `LISTEN_PID`
/// name descriptors from 3 on. The variables are unset once read, so a
/// child (the managed llama-server) does not take the socket for its own.
package enum PassedSocket {
    /// Why there is no socket to listen on.
    package struct Missing: Error, CustomStringConvertible {
        package var description: String
    }

    /// The first passed descriptor, if it is a listening stream socket.
    package static func listening() throws(Missing) -> Int32 {
        let count = sd_listen_fds(1)
        guard count >= 1 else {
            throw Missing(
                description: count < 0
                    ? "http.listen is systemd, but the passed sockets cannot be read: \(String(cString: strerror(-count)))"
                    : "http.listen is systemd, but systemd passed no socket (start chimerad.socket, or set http.listen to an address)")
        }
        let descriptor = SD_LISTEN_FDS_START
        guard sd_is_socket(descriptor, AF_UNSPEC, Int32(SOCK_STREAM.rawValue), 1) > 0 else {
            throw Missing(description: "http.listen is systemd, but descriptor \(descriptor) is not a listening stream socket")
        }
        return descriptor
    }
}
