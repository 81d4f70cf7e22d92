/// The unit a run table's TTFT column was read in when its name gives none
/// (`ttft`): recorded as the file's environment (`ttft_unit`), so a night
/// read in another unit than the nights before it is not tested against them
/// on TTFT. No rule of one file reads every file of a benchmark alike: a
/// GPU's 17.5 ms and 22.5 ms nights, or a CPU's 48 s and 54 s, straddle any
/// line, and a 1,000-fold "regression" (or a slowdown read as -99.9%)
/// followed. Tokens per second do not depend on it, and are tested as ever.
package enum AssumedTTFTUnit {
    package static let key = "ttft_unit"
    package static let milliseconds = "ms (assumed)"
    package static let seconds = "s (assumed)"
}
