/// Short IDs derived from what a subject is (its model, configuration,
/// metric...), never from where it stands in a list: the same data gives the
/// same IDs in every report, and a new group does not renumber the others.
enum StableID {
    static let alphabet = Array("0123456789abcdefghijklmnopqrstuvwxyz")

    /// The kind's letter and `length` base-36 digits of the identity's hash.
    static func make(kind: Character, identity: String, length: Int = 4) -> String {
        var hash = fnv1a(identity)
        var digits = ""
        for _ in 0..<length {
            digits.append(alphabet[Int(hash % 36)])
            hash /= 36
        }
        return String(kind) + digits
    }

    /// IDs for identities of one kind, in the same order. Identities whose
    /// short IDs collide get longer ones, so an ID depends only on the set of
    /// identities; the same identity twice (two series of one name in one file)
    /// is told apart by a suffix in order of appearance.
    static func assign(kind: Character, identities: [String]) -> [String] {
        var byIdentity: [String: String] = [:]
        var length = 4
        var pending = Set(identities)
        while !pending.isEmpty && length <= 12 {
            let ids = Dictionary(grouping: pending) { make(kind: kind, identity: $0, length: length) }
            pending = []
            for (id, members) in ids {
                if members.count == 1, let only = members.first {
                    byIdentity[only] = id
                } else {
                    pending.formUnion(members)
                }
            }
            length += 2
        }
        // Alike in 12 base-36 digits of a 64-bit hash: not expected in practice.
        for (index, identity) in pending.sorted().enumerated() {
            byIdentity[identity] = make(kind: kind, identity: identity, length: 12) + "x\(index + 1)"
        }
        var seen: [String: Int] = [:]
        return identities.map { identity in
            let id = byIdentity[identity] ?? String(kind)
            let occurrence = (seen[identity] ?? 0) + 1
            seen[identity] = occurrence
            return occurrence == 1 ? id : id + "-\(occurrence)"
        }
    }

    /// 64-bit FNV-1a: stable across runs and platforms (Swift's `Hasher` is seeded per process).
    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }
}
