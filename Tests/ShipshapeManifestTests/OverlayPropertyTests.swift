import Testing
@testable import ShipshapeManifest

/// Properties of the overlay merge on random trees. Each run is seeded; a failure names its seed.
@Suite("Overlay merge properties")
struct OverlayPropertyTests {
    static let seeds: [UInt64] = Array(1...200)

    /// Random trees over a small key alphabet so that keys collide often.
    struct TreeGenerator {
        var random: SeededGenerator
        let file: String
        var line = 0

        init(seed: UInt64, file: String) {
            random = SeededGenerator(seed: seed)
            self.file = file
        }

        mutating func location() -> ManifestLocation {
            line += 1
            return ManifestLocation(file: file, line: line, column: Int.random(in: 1...20, using: &random))
        }

        mutating func scalar(allowNull: Bool) -> ManifestNode {
            let texts = ["1", "two", "true", "x:y", "/path", "ssm:/a"]
            if allowNull, Int.random(in: 0..<6, using: &random) == 0 {
                return ManifestNode(content: .scalar(.init(text: "~", isPlain: true)), location: location())
            }
            return ManifestNode(content: .scalar(.init(text: texts.randomElement(using: &random)!, isPlain: true)), location: location())
        }

        mutating func node(depth: Int, allowNull: Bool) -> ManifestNode {
            switch depth >= 3 ? 0 : Int.random(in: 0..<5, using: &random) {
            case 0, 1: return scalar(allowNull: allowNull)
            case 2:
                let count = Int.random(in: 0...3, using: &random)
                let items = (0..<count).map { _ in node(depth: depth + 1, allowNull: false) }
                return ManifestNode(content: .sequence(items), location: location())
            default: return mapping(depth: depth, allowNull: allowNull)
            }
        }

        mutating func mapping(depth: Int, allowNull: Bool) -> ManifestNode {
            let here = location()
            var keys = ["a", "b", "c", "d", "e"]
            keys.shuffle(using: &random)
            let entries = keys.prefix(Int.random(in: 0...4, using: &random)).map { key in
                ManifestNode.Entry(key: key, keyLocation: location(), value: node(depth: depth + 1, allowNull: allowNull))
            }
            return ManifestNode(content: .mapping(entries), location: here)
        }
    }

    /// Leaves (scalars and lists; empty mappings hold no value) by key path.
    static func leaves(_ node: ManifestNode, prefix: [String] = []) -> [[String]: ManifestNode] {
        guard case .mapping(let entries) = node.content else { return [prefix: node] }
        var result: [[String]: ManifestNode] = [:]
        for entry in entries {
            result.merge(leaves(entry.value, prefix: prefix + [entry.key])) { first, _ in first }
        }
        return result
    }

    static func lookup(_ node: ManifestNode, _ path: [String]) -> ManifestNode? {
        var current = node
        for key in path {
            guard let next = current.entries?.first(where: { $0.key == key })?.value else { return nil }
            current = next
        }
        return current
    }

    static func containsNullEntry(_ node: ManifestNode) -> Bool {
        guard let entries = node.entries else { return false }
        return entries.contains { $0.value.isNull || containsNullEntry($0.value) }
    }

    /// The tree without locations, to compare shapes.
    static func shape(_ node: ManifestNode) -> String {
        switch node.content {
        case .scalar(let scalar): return scalar.text
        case .sequence(let items): return "[" + items.map(shape).joined(separator: ",") + "]"
        case .mapping(let entries): return "{" + entries.map { "\($0.key):\(shape($0.value))" }.sorted().joined(separator: ",") + "}"
        }
    }

    @Test("overlay values win, base values survive unless shadowed, null removes, lists replace", arguments: seeds)
    func overlayLaws(seed: UInt64) {
        var baseGenerator = TreeGenerator(seed: seed, file: "base.yaml")
        var overlayGenerator = TreeGenerator(seed: seed &* 7919, file: "env.yaml")
        let base = baseGenerator.mapping(depth: 0, allowNull: false)
        let overlay = overlayGenerator.mapping(depth: 0, allowNull: true)
        let merged = ManifestNode.overlay(base, with: overlay)

        #expect(!Self.containsNullEntry(merged), "seed \(seed): a null survived")
        let overlayLeaves = Self.leaves(overlay.withoutNullEntries())
        for (path, value) in overlayLeaves {
            #expect(Self.lookup(merged, path) == value, "seed \(seed): overlay value at \(path) lost")
        }
        for (path, value) in Self.leaves(base) {
            // Shadowed when the overlay has any prefix of the path as a non-mapping value or null.
            let shadowed = (1...path.count).contains { length in
                guard let node = Self.lookup(overlay, Array(path.prefix(length))) else { return false }
                if case .mapping = node.content { return length == path.count }
                return true
            }
            if !shadowed {
                #expect(Self.lookup(merged, path) == value, "seed \(seed): base value at \(path) lost")
            }
        }
        for (path, value) in Self.leaves(overlay) where value.isNull {
            #expect(Self.lookup(merged, path) == nil, "seed \(seed): null at \(path) did not remove")
        }
        // Every merged leaf came from one of the two files, with its original location.
        for (path, value) in Self.leaves(merged) {
            let fromOverlay = Self.lookup(overlay, path) == value
            let fromBase = Self.lookup(base, path) == value
            #expect(fromOverlay || fromBase, "seed \(seed): merged value at \(path) has no origin")
        }
    }

    /// Not associative: a value that changes type (mapping, scalar, mapping) merges differently
    /// depending on grouping, and so does a deletion; the loader always folds left.
    @Test("identity and idempotence", arguments: seeds)
    func algebra(seed: UInt64) {
        var generator = TreeGenerator(seed: seed, file: "a.yaml")
        let a = generator.mapping(depth: 0, allowNull: false)
        let empty = ManifestNode(content: .mapping([]), location: ManifestLocation(file: "e.yaml", line: 1, column: 1))
        #expect(Self.shape(ManifestNode.overlay(a, with: empty)) == Self.shape(a), "seed \(seed)")
        #expect(ManifestNode.overlay(empty, with: a) == a, "seed \(seed)")
        #expect(ManifestNode.overlay(a, with: a) == a, "seed \(seed)")
    }

    @Test("with deletions the order matters: the loader folds from the base in path order")
    func deletionIsNotAssociative() {
        func parse(_ text: String, _ file: String) -> ManifestNode {
            var diagnostics: [Diagnostic] = []
            return ManifestParser(limits: .init()).parse(ManifestSource(path: file, text: text), diagnostics: &diagnostics)[0]
        }
        let a = parse("x: { p: 1 }", "a.yaml")
        let b = parse("x: ~", "b.yaml")
        let c = parse("x: { q: 2 }", "c.yaml")
        let folded = ManifestNode.overlay(ManifestNode.overlay(a, with: b), with: c)
        #expect(Self.shape(folded) == "{x:{q:2}}")
        #expect(Self.shape(ManifestNode.overlay(a, with: ManifestNode.overlay(b, with: c))) == "{x:{p:1,q:2}}")
    }
}
