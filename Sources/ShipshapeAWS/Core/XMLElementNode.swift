import Foundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// A parsed XML element: name (without namespace prefix), text, attributes and children.
///
/// AWS Query responses are small documents; an element tree is the simplest way to read them.
/// Accessors are forgiving (a missing child gives `nil`), so decoders say what they need.
public struct XMLElementNode: Sendable, Equatable {
    public var name: String
    public var attributes: [String: String]
    public var children: [XMLElementNode]
    /// The element's own character data, whitespace-trimmed.
    public var text: String

    public init(name: String, attributes: [String: String] = [:], children: [XMLElementNode] = [], text: String = "") {
        self.name = name
        self.attributes = attributes
        self.children = children
        self.text = text
    }

    /// The first child called `name`.
    public subscript(_ name: String) -> XMLElementNode? { children.first { $0.name == name } }

    /// Every child called `name`.
    public func all(_ name: String) -> [XMLElementNode] { children.filter { $0.name == name } }

    /// The text of the first child called `name`.
    public func string(_ name: String) -> String? { self[name]?.text }

    /// Follows a path of child names (`["reservationSet", "item"]` gives the first such item).
    public func path(_ names: String...) -> XMLElementNode? {
        var node: XMLElementNode? = self
        for name in names { node = node?[name] }
        return node
    }

    /// The `<item>` (or `<member>`) children of the child `name`, the list shape EC2 (or awsquery) uses.
    public func list(_ name: String, item: String = "item") -> [XMLElementNode] { self[name]?.all(item) ?? [] }

    /// The first descendant (depth-first, self included) called `name`.
    public func first(named name: String) -> XMLElementNode? {
        if self.name == name { return self }
        for child in children { if let found = child.first(named: name) { return found } }
        return nil
    }

    /// Parses `data` into its root element.
    public static func parse(_ data: Data) throws -> XMLElementNode {
        // FoundationXML traps on element or attribute names that are not valid UTF-8 (seen on Linux
        // with Swift 6.3), so a damaged response is refused here instead of crashing the process.
        guard String(validating: data, as: UTF8.self) != nil else {
            throw XMLParseError(reason: "the document is not valid UTF-8", line: 0)
        }
        let delegate = TreeBuilder()
        let parser = XMLParser(data: data)
        parser.shouldProcessNamespaces = false
        parser.delegate = delegate
        guard parser.parse(), let root = delegate.root else {
            let reason = parser.parserError.map { "\($0)" } ?? "no root element"
            throw XMLParseError(reason: reason, line: parser.lineNumber)
        }
        return root
    }

    /// An XML document that could not be parsed.
    public struct XMLParseError: Error, CustomStringConvertible {
        public var reason: String
        public var line: Int
        public var description: String { "malformed XML at line \(line): \(reason)" }
    }
}

private final class TreeBuilder: NSObject, XMLParserDelegate {
    var stack: [XMLElementNode] = []
    var texts: [String] = []
    var root: XMLElementNode?

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        let local = elementName.split(separator: ":").last.map(String.init) ?? elementName
        stack.append(XMLElementNode(name: local, attributes: attributes))
        texts.append("")
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if !texts.isEmpty { texts[texts.count - 1] += string }
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        if !texts.isEmpty { texts[texts.count - 1] += String(decoding: CDATABlock, as: UTF8.self) }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        guard var node = stack.popLast(), let text = texts.popLast() else { return }
        node.text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if stack.isEmpty {
            root = node
        } else {
            stack[stack.count - 1].children.append(node)
        }
    }
}
