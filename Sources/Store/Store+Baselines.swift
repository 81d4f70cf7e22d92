import Foundation
import GRDB
import Records

/// Pinned baselines: `chimerad baseline pin` fixes what new sessions are
/// compared with, for every group or for one model's groups, until cleared.
///
/// A pin is the store's sequence when it was made: a group's pinned baseline
/// is its sessions from files first stored at or before it (the
/// `regressions.baseline_sessions` latest of them); appending to or renaming
/// such a file keeps it in, but not the sessions appended after the pin: it
/// also keeps the latest time the files' own data had reached (`dataUntil`,
/// the end of the newest session a report had read), in the data's clock,
/// which is what a session appended later is dated by. Kept in the `meta` table
/// (`baseline_pin:<model>`, the empty model for every group): a handful of
/// rows, and no table of their own to cost a page.
extension Store {
    package struct BaselinePin: Sendable, Equatable {
        /// The model whose groups it pins; empty: every group.
        package var model: String
        package var sequence: Int64
        package var pinnedAt: String
        package var note: String
        /// Seconds since 1970 in the data's clock; nil for a pin made before
        /// any report read a dated session (or by an older chimerad).
        package var dataUntil: Double?
        /// The newest modification time of the analysed files stored then
        /// (seconds since 1970): what dates a session its data does not. Nil
        /// for a pin made by an older chimerad.
        package var filesUntil: Double?

        package init(
            model: String, sequence: Int64, pinnedAt: String, note: String, dataUntil: Double? = nil, filesUntil: Double? = nil
        ) {
            self.model = model
            self.sequence = sequence
            self.pinnedAt = pinnedAt
            self.note = note
            self.dataUntil = dataUntil
            self.filesUntil = filesUntil
        }
    }

    static let pinPrefix = "baseline_pin:"

    /// Pins the baseline of `model`'s groups (empty: every group) at the
    /// store's current sequence, replacing an earlier pin of the same scope.
    package func pinBaseline(model: String, note: String, at time: String) throws(Failure) -> BaselinePin {
        try write { db in
            let sequence = Int64(try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'seq'") ?? "0") ?? 0
            let until = try Int64.fetchOne(db, sql: "SELECT MAX(reported_until) FROM file")
            let filesUntil = try Int64.fetchOne(db, sql: "SELECT MAX(COALESCE(data_mtime_ns, mtime_ns)) FROM file WHERE status = 'analyzed'")
            let pin = BaselinePin(
                model: model, sequence: sequence, pinnedAt: time, note: note, dataUntil: until.map { Double($0) / 1000 },
                filesUntil: filesUntil.map { Double($0) / 1e9 })
            // Older chimerads read three or four fields: the fifth is new, the fourth may be empty.
            let value = Store.text([
                String(pin.sequence), pin.pinnedAt, pin.note, until.map { String($0) } ?? "", filesUntil.map { String($0) } ?? "",
            ])
            try db.execute(
                sql: "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                arguments: [Store.pinPrefix + model, value])
            return pin
        }
    }

    package func baselinePins() throws(Failure) -> [BaselinePin] {
        try read { db in
            try Store.metaEntries(db, prefix: Store.pinPrefix).compactMap { model, value -> BaselinePin? in
                let fields = Store.strings(value)
                guard (3...5).contains(fields.count), let sequence = Int64(fields[0]) else { return nil }
                let until = fields.count >= 4 ? Int64(fields[3]).map { Double($0) / 1000 } : nil
                let filesUntil = fields.count >= 5 ? Int64(fields[4]).map { Double($0) / 1e9 } : nil
                return BaselinePin(
                    model: model, sequence: sequence, pinnedAt: fields[1], note: fields[2],
                    dataUntil: until, filesUntil: filesUntil)
            }
        }
    }

    /// Removes the pin of `model` (empty: the pin of every group), or every
    /// pin when `model` is nil; returns how many were removed.
    package func clearBaselinePins(model: String?) throws(Failure) -> Int {
        try write { db in
            if let model {
                try db.execute(sql: "DELETE FROM meta WHERE key = ?", arguments: [Store.pinPrefix + model])
            } else {
                try db.execute(sql: "DELETE FROM meta WHERE key >= ? AND key < ?", arguments: Store.metaKeyRange(Store.pinPrefix))
            }
            return db.changesCount
        }
    }
}
