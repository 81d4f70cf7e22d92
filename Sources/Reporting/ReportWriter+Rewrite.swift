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

    /// Rewrites the published report at `paths` (names in this folder) with
    /// new contents: the narrative arrived after it was written. Every
    /// temporary is complete and synced before any name is replaced, each by
    /// a rename (a reader sees the old or the new file, never a part);
    /// `latest.*` keep pointing at the same names. A report whose `.md` or
    /// `.json` is gone or no longer a regular file is left alone.
    package func rewrite(_ paths: Written, markdown: String, json: String, html: String) throws(Failure) -> Rewrite {
        func name(_ path: String) -> String { String(path.split(separator: "/").last ?? "") }
        let markdownName = name(paths.markdownPath)
        let jsonName = name(paths.jsonPath)
        let files = [(jsonName, json), (name(paths.htmlPath), html), (markdownName, markdown)]
        let jsonPath = paths.jsonPath
        let folder: OutputFolder
        do {
            folder = try OutputFolder(directory)
        } catch {
            throw Failure(
                path: jsonPath, kind: .cannotOpenFolder, errorCode: error.code,
                reason: "cannot open the folder (\(OutputFolder.errorText(error.code)))")
        }
        guard folder.holdsRegularFile(markdownName), folder.holdsRegularFile(jsonName) else { return .gone }
        var temporaries: [String] = []
        defer { temporaries.forEach { folder.remove($0) } }
        for (name, contents) in files { temporaries.append(try folder.writeTemporary(contents, for: name)) }
        // Checked again just before: a prune may have run meanwhile.
        guard folder.holdsRegularFile(markdownName), folder.holdsRegularFile(jsonName) else { return .gone }
        for (temporary, name) in zip(temporaries, files.map(\.0)) {
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
