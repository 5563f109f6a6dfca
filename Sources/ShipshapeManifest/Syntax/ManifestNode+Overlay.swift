extension ManifestNode {
    /// Overlays `overlay` on `base`: mappings merge key by key (recursively), anything else —
    /// lists, scalars, a mapping over a non-mapping — is replaced by the overlay's value.
    /// An explicit `null` in the overlay removes the key (and a `null` with nothing to remove is
    /// dropped), so after merging no mapping holds a null value. Every node keeps the location it
    /// was written at, so diagnostics on the merged tree name the file each value came from.
    ///
    /// Overlaying is a left fold (base, then each file in path order); with deletions it is not
    /// associative, so the order matters.
    static func overlay(_ base: ManifestNode, with overlay: ManifestNode) -> ManifestNode {
        guard case .mapping(let baseEntries) = base.content, case .mapping(let overlayEntries) = overlay.content else {
            return overlay.withoutNullEntries()
        }
        var overlayByKey: [String: Entry] = [:]
        for entry in overlayEntries { overlayByKey[entry.key] = entry }
        var result: [Entry] = []
        result.reserveCapacity(baseEntries.count + overlayEntries.count)
        var seen = Set<String>()
        for entry in baseEntries {
            seen.insert(entry.key)
            guard let replacement = overlayByKey[entry.key] else {
                result.append(entry)
                continue
            }
            if replacement.value.isNull { continue }
            result.append(
                Entry(
                    key: entry.key,
                    keyLocation: replacement.keyLocation,
                    value: Self.overlay(entry.value, with: replacement.value)
                )
            )
        }
        for entry in overlayEntries where !seen.contains(entry.key) && !entry.value.isNull {
            result.append(Entry(key: entry.key, keyLocation: entry.keyLocation, value: entry.value.withoutNullEntries()))
        }
        return ManifestNode(content: .mapping(result), location: overlay.location)
    }

    /// The node with null-valued mapping entries removed, recursively through mappings (list items
    /// are values and stay as written).
    func withoutNullEntries() -> ManifestNode {
        guard case .mapping(let entries) = content else { return self }
        let cleaned = entries.compactMap { entry -> Entry? in
            entry.value.isNull ? nil : Entry(key: entry.key, keyLocation: entry.keyLocation, value: entry.value.withoutNullEntries())
        }
        return ManifestNode(content: .mapping(cleaned), location: location)
    }
}
