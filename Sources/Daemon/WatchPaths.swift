import Foundation
import Ingest
import Pipeline
import Settings

/// Where `watch.paths` lead now, path by path, before anything is made or
/// watched. The daemon acts on it when it starts (`DaemonLoop.prepareRoots`),
/// and `chimerad check-config` says it, so a configuration `run` would refuse
/// is refused there too.
///
///     let paths = WatchPaths(settings)
///     if let problem = paths.problem { print(problem) }
package struct WatchPaths: Sendable {
    package enum Place: Sendable, Equatable {
        /// A folder (its real path).
        case folder(String)
        /// Missing, and the default inbox (`<state>/inbox`): made at start.
        case madeAtStart(String)
        /// Missing elsewhere (a mount, a folder a harness makes later): watched once it appears.
        case awaited(String)
        /// There, and no folder: left out.
        case notAFolder
    }

    /// Each configured path with where it leads.
    package let places: [(path: String, place: Place)]

    package init(_ settings: Settings) {
        places = settings.watch.paths.map { path in
            let normalized = TreeScanner.normalize(path)
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: normalized, isDirectory: &isFolder) else {
                return (path, ReportJob.isDefaultInbox(normalized, settings) ? .madeAtStart(normalized) : .awaited(normalized))
            }
            return (path, isFolder.boolValue ? .folder(normalized) : .notAFolder)
        }
    }

    /// Whether a path leads somewhere through a symbolic link (itself or a
    /// folder above it), which may be switched to another folder.
    package var passesThroughALink: Bool {
        places.contains { path, place in
            switch place {
            case .folder(let real), .madeAtStart(let real), .awaited(let real):
                real != URL(fileURLWithPath: path).standardizedFileURL.path
            case .notAFolder: false
            }
        }
    }

    /// Whether a path is a symbolic link to nothing (yet).
    package var leadsNowhere: Bool {
        places.contains { path, place in
            guard case .awaited = place else { return false }
            var info = stat()
            return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK
        }
    }

    /// Why the daemon cannot start on them: none is a folder, or one it makes.
    package var problem: String? {
        let usable = places.contains {
            switch $0.place {
            case .folder, .madeAtStart: true
            case .awaited, .notAFolder: false
            }
        }
        return usable ? nil : WatchPaths.noneIsAFolder(places.map(\.path))
    }

    /// Why no watch can start on `paths`.
    static func noneIsAFolder(_ paths: [String]) -> String {
        "none of watch.paths is a folder that exists: \(paths.joined(separator: ", "))"
    }
}

extension WatchPaths {
    /// Whether a path missing now may yet appear (a share not mounted at
    /// boot): then no folder to watch is a failure the unit retries, not a
    /// configuration it would refuse again.
    package var awaitsOne: Bool {
        places.contains { if case .awaited = $0.place { true } else { false } }
    }

    /// Watch paths the daemon cannot start on, none of which may appear: a
    /// configuration error, which `run` exits 78 on as `check-config` does
    /// (the unit restarts on a failure, never on a configuration it would
    /// refuse again).
    package struct Refused: Error, CustomStringConvertible {
        package var reason: String
        package var description: String { "key 'watch.paths': \(reason)" }
    }
}
