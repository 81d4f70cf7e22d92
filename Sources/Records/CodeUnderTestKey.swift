/// Whether an environment key names the code under test: a commit, a build,
/// a version of the program being measured (`commit`, `git_sha`,
/// `build_number`, `ollama_version`). A new one is what a benchmark's
/// sessions are there to compare, so it is shown with a session but is no
/// difference of environment.
///
/// Told by an allowlist, not by a word: `prompt_version`, `build_backend` and
/// `model_version` are settings (what was asked, how it was built, which
/// weights), and `driver_version`, `cuda_version` or `macos_version` are the
/// platform's (`namesPlatformVersion`): another environment.
///
///     CodeUnderTestKey.names("ollama_version")  // true
///     CodeUnderTestKey.names("prompt_version")  // false
///     CodeUnderTestKey.namesPlatformVersion("driver_version")  // true
package enum CodeUnderTestKey {
    /// Keys that name the code whole (as words joined by `_`).
    static let wholeKeys: Set<String> = [
        "commit", "sha", "git_sha", "git_commit", "git_hash", "commit_hash", "commit_sha", "commit_id", "revision", "rev",
        "git_rev", "git_revision", "git_tag", "git_describe", "build_number", "build_id", "build_commit", "build_sha", "version",
        "release",
    ]
    /// Programs whose `<program>_version`, `_commit`, `_build`, `_sha` is the
    /// code under test: the inference servers and the harness's own project.
    static let programs: Set<String> = [
        "ollama", "llama", "cpp", "llamacpp", "vllm", "sglang", "tgi", "lmdeploy", "exllama", "exllamav2", "mlc", "trtllm",
        "app", "server", "engine", "binary", "project", "repo", "code", "software", "git",
    ]
    /// The last word (or words) of such a key.
    static let identityEndings: [[String]] = [
        ["version"], ["commit"], ["sha"], ["hash"], ["revision"], ["rev"], ["build"], ["build", "number"], ["build", "id"],
        ["commit", "sha"],
    ]
    /// Words naming what the code runs on: their versions are the environment's.
    static let platformWords: Set<String> = [
        "driver", "cuda", "cudnn", "rocm", "hip", "kernel", "os", "firmware", "bios", "python", "compiler", "gcc", "clang",
        "nvcc", "libc", "glibc", "macos", "ubuntu", "debian", "windows", "darwin", "linux", "torch", "pytorch", "tensorrt",
        "mesa", "vulkan", "metal", "nccl", "mkl", "openblas",
    ]

    package static func names(_ key: String) -> Bool {
        let words = CodeUnderTestKey.words(key)
        if wholeKeys.contains(words.joined(separator: "_")) { return true }
        return identityEndings.contains { ending in
            words.count > ending.count && Array(words.suffix(ending.count)) == ending
                && words.dropLast(ending.count).allSatisfy(programs.contains)
        }
    }

    /// Whether the key is the version of what the code runs on
    /// (`driver_version`, `cuda_version`, `macos_version`): the environment's.
    package static func namesPlatformVersion(_ key: String) -> Bool {
        let words = CodeUnderTestKey.words(key)
        // A driver's key is its version (`driver`, `nvidia_driver`: `550.54`).
        if words.contains("driver") { return true }
        guard words.contains(where: platformWords.contains), let last = words.last else { return false }
        return ["version", "ver", "release", "build"].contains(last)
    }

    /// Lower-case words of a key: `ollamaVersion`, `ollama-version` and
    /// `llama.cpp_commit` are `ollama version` and `llama cpp commit`.
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
