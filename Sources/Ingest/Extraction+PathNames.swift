import Records

extension Extraction {
    /// The tools whose results name no model or subject: llama.cpp's
    /// batched and sweep benches (their JSON lines and tables hold lengths
    /// and speeds only), SGLang's `bench_one_batch`, and vLLM's offline
    /// benchmarks (by their shape: their tool is vLLM's).
    static let toolsNamingNoSubject: Set<String> = ["llama-batched-bench", "llama-sweep-bench", SGLangOneBatchFormat.tool]

    /// Names the results of tools that name no subject after the file's path
    /// under its input (`benchmark`: `GenericSeriesFormat.benchmarkName`,
    /// keeping a model's size): one file a
    /// night is one benchmark, and two models' files are two. Named `decode`
    /// alone, two models' speeds were one benchmark, and the second model's
    /// first night opened a regression.
    mutating func nameAfterPath(_ benchmark: String) {
        for index in measurements.indices
        where shape == .vllmOffline || Extraction.toolsNamingNoSubject.contains(measurements[index].tool) {
            measurements[index].name = TextCuts.text("\(benchmark) \(measurements[index].name)")
        }
    }
}
