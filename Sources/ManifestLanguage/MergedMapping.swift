/// A mapping that several manifest files add entries to: its entries in the order first written, indexed by key.
///
/// Invariant: `positions[key]` is the index in `entries` of the entry written first with that key; `merged[key]`,
/// when present, holds that entry's mapping with what later files added to it (the entry itself keeps the first
/// file's mapping until `combined()`).
struct MergedMapping {
    private(set) var entries: [ManifestNode.Entry] = []
    private(set) var positions: [String: Int] = [:]
    var merged: [String: MergedMapping] = [:]

    /// A mapping as one file wrote it.
    init(_ entries: [ManifestNode.Entry] = []) {
        self.entries = entries
        positions.reserveCapacity(entries.count)
        for (index, entry) in entries.enumerated() where positions[entry.key] == nil {
            positions[entry.key] = index
        }
    }

    /// Appends an entry whose key the mapping does not hold yet.
    mutating func add(_ entry: ManifestNode.Entry) {
        positions[entry.key] = entries.count
        entries.append(entry)
    }

    /// The entries, each merged mapping in place of the one its first file wrote.
    func combined() -> [ManifestNode.Entry] {
        var result = entries
        for (key, mapping) in merged {
            let index = positions[key]!
            result[index].value = .mapping(mapping.combined(), at: result[index].value.location)
        }
        return result
    }
}
