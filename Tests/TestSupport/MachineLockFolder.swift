import Foundation

/// Where the locks that every test process on this machine shares live.
///
/// `scripts/test` gives each run a scratch `TMPDIR` of its own, removed when
/// the run ends, and names the machine's temporary folder in
/// `CHIMERAD_TEST_LOCKS`: two suites running at once (a CI clone beside a
/// local run) must still take turns lowering system-wide limits and starting
/// the model server. Without it (a bare `swift test`) the temporary folder is
/// shared anyway.
public enum MachineLockFolder {
    /// The path of the lock file `name`.
    public static func path(of name: String) -> String {
        let environment = ProcessInfo.processInfo.environment["CHIMERAD_TEST_LOCKS"] ?? ""
        let folder = environment.isEmpty ? FileManager.default.temporaryDirectory.path : environment
        return URL(fileURLWithPath: folder).appendingPathComponent(name).path
    }
}
