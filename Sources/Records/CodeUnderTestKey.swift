/// Whether an environment key names the code under test: a commit, a build,
/// a version of the program being measured (`commit`, `git_sha`,
/// `build_number`, `ollama_version`, `revision`). A new one is what a
/// benchmark's sessions are there to compare, so it is shown with a session
/// but is no difference of environment. A version of what the program runs
/// on (`driver_version`, `cuda_version`, `kernel_version`, a GPU's or host's)
/// is the environment's, not the code's.
///
///     CodeUnderTestKey.names("ollama_version")  // true
///     CodeUnderTestKey.names("driver_version")  // false
package enum CodeUnderTestKey {
    /// Whole words of a key that name the code's identity (`git_tag`, `git_ref` by their `git`).
    static let identityWords: Set<String> = ["commit", "sha", "revision", "rev", "build", "version", "ver", "git"]
    /// Whole words that make such a key a setting of the build (`build_type`, `build_flags`).
    static let settingWords: Set<String> = ["type", "mode", "flag", "flags", "options", "config", "configuration", "target", "dir", "path", "jobs"]
    /// Whole words of a key that make it the environment's version instead.
    static let environmentWords: Set<String> = [
        "driver", "cuda", "rocm", "kernel", "os", "firmware", "bios", "python", "compiler", "gcc", "clang", "nvcc", "libc",
    ]

    package static func names(_ key: String) -> Bool {
        let words = CodeUnderTestKey.words(key)
        guard words.contains(where: identityWords.contains), !words.contains(where: settingWords.contains) else { return false }
        return !words.contains(where: environmentWords.contains) && !MachineKey.names(key)
    }

    /// Whether the key is the version of what the code runs on
    /// (`driver_version`, `cuda_version`, `kernel_version`): the environment's.
    package static func namesPlatformVersion(_ key: String) -> Bool {
        let words = CodeUnderTestKey.words(key)
        return words.contains(where: identityWords.contains) && words.contains(where: environmentWords.contains)
    }

    /// Lower-case words of a key: `ollamaVersion` and `ollama-version` are `ollama`, `version`.
    static func words(_ key: String) -> [String] {
        var spaced = ""
        var previousIsLower = false
        for character in key {
            if character.isUppercase && previousIsLower { spaced.append(" ") }
            previousIsLower = character.isLowercase
            spaced.append(character)
        }
        return spaced.lowercased().split { !($0.isLetter || $0.isNumber) }.map(String.init)
    }
}
