import Records

extension Extraction {
    /// The tools whose results name no model or subject: llama.cpp's
    /// batched and sweep benches (their JSON lines and tables hold lengths
    /// and speeds only), SGLang's `bench_one_batch`, and vLLM's offline
    /// benchmarks (by their shape: their tool is vLLM's).
    static let toolsNamingNoSubject: Set<String> = ["llama-batched-bench", "llama-sweep-bench", SGLangOneBatchFormat.tool]

    /// Names the results of tools that name no subject after the file's path
    /// under its input (`benchmark`, `benchmarkName(path:)`): one file a
    /// night is one benchmark, and two models' files are two. Named `decode`
    /// alone, two models' speeds were one benchmark, and the second model's
    /// first night opened a regression.
    mutating func nameAfterPath(_ benchmark: String) {
        for index in measurements.indices
        where shape == .vllmOffline || Extraction.toolsNamingNoSubject.contains(measurements[index].tool) {
            measurements[index].name = TextCuts.text("\(benchmark) \(measurements[index].name)")
        }
    }

    /// A file's path with what tells its nights apart as `*`: each run of
    /// digits (a date, `night3`, `run-42/`) but one a letter follows. That
    /// is a model's size (`8b` and `70b`, `qwen2-7b` and `qwen2-72b`,
    /// `8x7b`): it names what was measured, and starred, two models' files
    /// were one benchmark, the second's first night a regression of the first's.
    static func benchmarkName(path: String) -> String {
        let characters = Array(path.split(separator: "/", omittingEmptySubsequences: true).joined(separator: "/"))
        func isDigit(_ index: Int) -> Bool { characters[index].isASCII && characters[index].isNumber }
        func isLetter(_ index: Int) -> Bool { index < characters.count && characters[index].isLetter }
        var name = ""
        var index = 0
        while index < characters.count {
            guard isDigit(index) else {
                name.append(characters[index])
                index += 1
                continue
            }
            var end = index
            while end < characters.count, isDigit(end) { end += 1 }
            name += isLetter(end) ? String(characters[index..<end]) : "*"
            index = end
        }
        return name
    }
}
