extension ManifestNode {
    /// Overlays `overlay` on `base`: mappings merge key by key (recursively), anything else —
    /// lists, scalars, a mapping over a non-mapping — is replaced by the overlay's value.
    /// An explicit `null` in the overlay removes the key. Every node keeps the location it was
    /// written at, so diagnostics on the merged tree name the file each value came from.
    static func overlay(_ base: ManifestNode, with overlay: ManifestNode) -> ManifestNode {
        guard case .mapping(let baseEntries) = base.content, case .mapping(let overlayEntries) = overlay.content else {
            return overlay
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
            result.append(entry)
        }
        return ManifestNode(content: .mapping(result), location: overlay.location)
    }
}
