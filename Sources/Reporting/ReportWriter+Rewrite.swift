#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ReportWriter {
    /// What became of rewriting a published report.
    package enum Rewrite: Sendable, Equatable {
        case rewritten
        /// One of its files is no longer there (pruned, removed by hand), or
        /// is no longer a regular file: nothing was written.
        case gone
    }

    /// Rewrites the published report at `markdownPath` and `jsonPath` (names
    /// in this folder) with new contents: the narrative arrived after it was
    /// written. Both temporaries are complete and synced before either name
    /// is replaced, each by a rename (a reader sees the old or the new file,
    /// never a part); `latest.*` keep pointing at the same names. A name that
    /// is gone or no longer a regular file is left alone, and so is its pair.
    package func rewrite(markdownPath: String, jsonPath: String, markdown: String, json: String) throws(Failure) -> Rewrite {
        let markdownName = String(markdownPath.split(separator: "/").last ?? "")
        let jsonName = String(jsonPath.split(separator: "/").last ?? "")
        let folder: OutputFolder
        do {
            folder = try OutputFolder(directory)
        } catch {
            throw Failure(
                path: jsonPath, kind: .cannotOpenFolder, errorCode: error.code,
                reason: "cannot open the folder (\(OutputFolder.errorText(error.code)))")
        }
        guard folder.holdsRegularFile(markdownName), folder.holdsRegularFile(jsonName) else { return .gone }
        let jsonTemporary = try folder.writeTemporary(json, for: jsonName)
        let markdownTemporary: String
        do {
            markdownTemporary = try folder.writeTemporary(markdown, for: markdownName)
        } catch {
            folder.remove(jsonTemporary)
            throw error
        }
        defer {
            folder.remove(jsonTemporary)
            folder.remove(markdownTemporary)
        }
        // Checked again just before: a prune may have run meanwhile.
        guard folder.holdsRegularFile(markdownName), folder.holdsRegularFile(jsonName) else { return .gone }
        for (temporary, name) in [(jsonTemporary, jsonName), (markdownTemporary, markdownName)] {
            guard folder.rename(temporary, to: name) else {
                let code = errno
                throw Failure(
                    path: directory + "/" + name, kind: .linkFailed, errorCode: code, reason: "rename failed (\(OutputFolder.errorText(code)))")
            }
        }
        folder.sync()
        return .rewritten
    }
}

extension OutputFolder {
    /// Whether `name` is a regular file here (a link is not followed).
    func holdsRegularFile(_ name: String) -> Bool {
        guard !name.isEmpty, !name.contains("/") else { return false }
        var info = stat()
        return fstatat(descriptor, name, &info, AT_SYMLINK_NOFOLLOW) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    /// Renames `temporary` over `name` (replacing the entry, never writing through a link).
    func rename(_ temporary: String, to name: String) -> Bool {
        renameat(descriptor, temporary, descriptor, name) == 0
    }
}
