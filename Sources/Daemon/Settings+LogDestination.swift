import Settings
import Systemd

extension Settings.Log.Target {
    /// Where this target sends logs from this process: `auto` asks whether
    /// standard error is the journal's stream.
    package func destination(journalStream: String? = LogDestination.journalStreamVariable()) -> LogDestination {
        switch self {
        case .journal: .journal
        case .console: .console
        case .auto: LogDestination.automatic(journalStream: journalStream)
        }
    }
}
