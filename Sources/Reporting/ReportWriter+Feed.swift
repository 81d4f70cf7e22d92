#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ReportWriter {
    /// Replaces the file `name` in the output folder (`regressions.atom`)
    /// with `text`: a synced temporary renamed over it, so a reader sees the
    /// old or the new file, and a link planted at the name is replaced, never
    /// written through.
    package func replace(_ name: String, with text: String) throws(Failure) {
        let folder: OutputFolder
        do {
            folder = try OutputFolder(directory)
        } catch {
            throw Failure(
                path: directory + "/" + name, kind: .cannotOpenFolder, errorCode: error.code,
                reason: "cannot open the folder (\(OutputFolder.errorText(error.code)))")
        }
        let temporary = try folder.writeTemporary(text, for: name)
        guard folder.rename(temporary, to: name) else {
            let code = errno
            folder.remove(temporary)
            throw Failure(path: directory + "/" + name, kind: .linkFailed, errorCode: code, reason: "rename failed (\(OutputFolder.errorText(code)))")
        }
        folder.sync()
    }

    /// The text of the regular file `name` in the output folder, if it holds
    /// at most `limit` bytes (a link is not followed); nil otherwise.
    package func contents(of name: String, limit: Int) -> String? {
        guard let folder = try? OutputFolder(directory), let bytes = folder.contents(of: name, limit: limit) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }
}
