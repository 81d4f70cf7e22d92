import Records

extension Records.Measurement {
    /// The benchmark it measures, the same in every version of its file and
    /// for each of its runs: its tool, name and settings.
    var benchmarkKey: String {
        tool + "\u{1}" + name + "\u{1}" + parameters.rendered
    }
}
