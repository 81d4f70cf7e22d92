import Foundation
import GRDB

extension Store {
    /// Opens the store to look only, for `status`, `baseline show` and
    /// `regressions` run by someone who may read the state folder but not
    /// write it (an operator beside the service's user): the usual opening
    /// writes (SQLite's WAL and its index are created, and GRDB commits a
    /// first write), so it failed with "read-only".
    ///
    /// With the daemon running, its WAL and index are there and a read-only
    /// connection reads through them. A store nobody has open has neither,
    /// and a reader that may not create them reads the file as it stands
    /// (SQLite's `immutable`): only a chimerad starting in that moment could
    /// change it under the reader, which then fails, and is run again.
    ///
    ///     let store = try Store.openToRead("/var/lib/chimerad")
    package static func openToRead(_ directory: String) throws(Failure) -> Store {
        do {
            return try Store(directory: directory)
        } catch  where error.kind == .readOnly || error.kind == .cannotOpen {
            return try Store(readingOnly: directory)
        }
    }

    convenience init(readingOnly directory: String) throws(Failure) {
        let path = (directory as NSString).appendingPathComponent(Store.fileName)
        for own in Store.ownFiles(in: directory) { try Store.refuseUnlessRegularOrAbsent(own) }
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(5)
        let pool: DatabasePool
        do {
            let walExists = FileManager.default.fileExists(atPath: path + "-wal")
            pool =
                try walExists
                ? DatabasePool(path: path, configuration: configuration) : DatabasePool(path: Store.immutableURI(path), configuration: configuration)
            if try !Store.isUpToDate(pool, path: path) {
                throw Failure(
                    path: path, kind: .readOnly,
                    reason: "was made by an older chimerad and cannot be brought up to date read-only: run a report once as its owner")
            }
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure(path: path, error: error)
        }
        self.init(path: path, pool: pool)
    }

    /// `file:` URI of `path` with SQLite's `immutable` flag: `%`, `?` and `#`
    /// escaped, as URI filenames need.
    static func immutableURI(_ path: String) -> String {
        var escaped = ""
        for character in path {
            switch character {
            case "%": escaped += "%25"
            case "?": escaped += "%3f"
            case "#": escaped += "%23"
            default: escaped.append(character)
            }
        }
        return "file:" + escaped + "?immutable=1"
    }
}
