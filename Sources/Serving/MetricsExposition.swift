/// Where `/metrics` gets its text: the metrics backend the daemon records
/// into, read at each scrape. The server only reads it.
package protocol MetricsExposition: Sendable {
    /// The metrics in the Prometheus text format (version 0.0.4).
    func exposition() -> [UInt8]
}
