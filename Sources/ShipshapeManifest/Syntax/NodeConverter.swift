import Yams

/// Converts a composed `Yams.Node` tree into a `ManifestNode` tree, expanding merge keys and
/// enforcing the depth and expanded-size limits.
///
/// Yams resolves an alias to the very node that carries the anchor, so the same `Anchor` object
/// shows up at every use. The converter remembers each anchored subtree's result and expanded size:
/// converting is linear in the file, and an alias bomb is refused as soon as its expanded size
/// passes `maxNodes`, before any later stage walks it.
struct NodeConverter {
    struct Failure: Error {
        var message: String
        var hint: String
        var location: ManifestLocation
    }

    let file: String
    let limits: ManifestLimits
    private var expandedNodes = 0
    private var memo: [ObjectIdentifier: (node: ManifestNode, size: Int, height: Int)] = [:]

    init(file: String, limits: ManifestLimits) {
        self.file = file
        self.limits = limits
    }

    mutating func resetBudget() {
        expandedNodes = 0
        memo.removeAll()
    }

    private func location(_ mark: Mark?) -> ManifestLocation {
        ManifestLocation(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1)
    }

    mutating func convert(_ node: Node, depth: Int) throws -> ManifestNode {
        try convertCounting(node, depth: depth).0
    }

    /// Returns the converted node and its height (levels below and including it).
    private mutating func convertCounting(_ node: Node, depth: Int) throws -> (ManifestNode, Int) {
        if let anchor = node.anchor, let known = memo[ObjectIdentifier(anchor)] {
            try charge(known.size, at: node.mark)
            guard depth + known.height - 1 <= limits.maxDepth else {
                throw Failure(
                    message: "nesting deeper than \(limits.maxDepth) levels once aliases are expanded",
                    hint: "manifests need only a few levels; this input looks generated or hostile",
                    location: location(node.mark)
                )
            }
            return (known.node, known.height)
        }
        guard depth <= limits.maxDepth else {
            throw Failure(
                message: "nesting deeper than \(limits.maxDepth) levels",
                hint: "manifests need only a few levels; this input looks generated or hostile",
                location: location(node.mark)
            )
        }
        let start = expandedNodes
        try charge(1, at: node.mark)
        let result: ManifestNode
        var height = 1
        switch node {
        case .scalar(let scalar):
            result = ManifestNode(
                content: .scalar(.init(text: scalar.string, isPlain: scalar.style == .plain && scalar.tag.rawValue.isEmpty)),
                location: location(scalar.mark)
            )
        case .alias(let alias):
            throw Failure(
                message: "unresolved alias '*\(alias.anchor.rawValue)'",
                hint: "define the anchor `&\(alias.anchor.rawValue)` before using it",
                location: location(alias.mark)
            )
        case .sequence(let sequence):
            var items: [ManifestNode] = []
            items.reserveCapacity(sequence.count)
            for item in sequence {
                let (converted, childHeight) = try convertCounting(item, depth: depth + 1)
                items.append(converted)
                height = max(height, childHeight + 1)
            }
            result = ManifestNode(content: .sequence(items), location: location(sequence.mark))
        case .mapping(let mapping):
            var entries: [ManifestNode.Entry] = []
            var merged: [ManifestNode.Entry] = []
            entries.reserveCapacity(mapping.count)
            for (key, value) in mapping {
                guard case .scalar(let keyScalar) = key else {
                    throw Failure(
                        message: "mapping keys must be plain strings, found \(key.mapping != nil ? "a mapping" : "a list")",
                        hint: "use plain strings as keys",
                        location: location(key.mark)
                    )
                }
                let (converted, childHeight) = try convertCounting(value, depth: depth + 1)
                height = max(height, childHeight + 1)
                if keyScalar.string == "<<" && keyScalar.style == .plain {
                    merged += try mergeSources(converted)
                } else {
                    entries.append(.init(key: keyScalar.string, keyLocation: location(keyScalar.mark), value: converted))
                }
            }
            // Merge keys (`<<: *defaults`): explicit keys win, earlier merge sources win over later ones.
            var present = Set(entries.map(\.key))
            for entry in merged where present.insert(entry.key).inserted {
                entries.append(entry)
            }
            result = ManifestNode(content: .mapping(entries), location: location(mapping.mark))
        }
        if let anchor = node.anchor {
            memo[ObjectIdentifier(anchor)] = (result, expandedNodes - start, height)
        }
        return (result, height)
    }

    private func mergeSources(_ node: ManifestNode) throws -> [ManifestNode.Entry] {
        switch node.content {
        case .mapping(let entries):
            return entries
        case .sequence(let items):
            var result: [ManifestNode.Entry] = []
            var seen = Set<String>()
            for item in items {
                guard case .mapping(let entries) = item.content else {
                    throw Failure(
                        message: "a merge key (`<<`) takes a mapping or a list of mappings",
                        hint: "write `<<: *anchor` where the anchor names a mapping",
                        location: item.location
                    )
                }
                for entry in entries where seen.insert(entry.key).inserted {
                    result.append(entry)
                }
            }
            return result
        case .scalar:
            throw Failure(
                message: "a merge key (`<<`) takes a mapping or a list of mappings",
                hint: "write `<<: *anchor` where the anchor names a mapping",
                location: node.location
            )
        }
    }

    private mutating func charge(_ count: Int, at mark: Mark?) throws {
        expandedNodes += count
        if expandedNodes > limits.maxNodes {
            throw Failure(
                message: "the document expands to more than \(limits.maxNodes) nodes (aliases included)",
                hint: "this looks like an alias bomb; write the values out or use fewer aliases",
                location: location(mark)
            )
        }
    }
}
