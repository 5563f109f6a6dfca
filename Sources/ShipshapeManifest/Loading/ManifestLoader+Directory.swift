import Foundation

extension ManifestLoader {
    /// Whether a file at `path` (relative to the manifests folder) is a manifest: `*.yaml` or
    /// `*.yml`, not hidden, and not under `schema/` (the JSON Schema for editors lives there). The
    /// folder loader and the Git source use the same rule.
    public static func isManifestPath(_ path: String) -> Bool {
        let parts = path.split(separator: "/")
        guard let name = parts.last, !parts.contains(where: { $0.hasPrefix(".") }), parts.first != "schema" else {
            return false
        }
        return name.hasSuffix(".yaml") || name.hasSuffix(".yml")
    }

    /// An error reading the manifests folder itself (not a problem in a manifest).
    public struct DirectoryError: Error, Sendable, CustomStringConvertible {
        /// What failed.
        public var description: String
    }

    /// Reads every `*.yaml` / `*.yml` below `directory` (skipping `schema/` at the top and hidden
    /// files and folders, and symbolic links that lead outside it) and calls `load`. Paths in diagnostics are relative to `directory`.
    /// Throws only when the folder cannot be listed; unreadable files become diagnostics.
    public static func load(directory: String, options: ManifestOptions = .init()) throws -> ManifestBundle {
        let root = URL(fileURLWithPath: directory, isDirectory: true).resolvingSymlinksInPath()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DirectoryError(description: "manifests folder '\(directory)' does not exist or is not a folder")
        }
        guard
            let enumerator = FileManager.default.enumerator(
                at: root,
                includingPropertiesForKeys: [.isRegularFileKey, .isDirectoryKey],
                options: [.skipsHiddenFiles]
            )
        else {
            throw DirectoryError(description: "cannot list manifests folder '\(directory)'")
        }
        var sources: [ManifestSource] = []
        var unreadable: [Diagnostic] = []
        let prefix = root.path.hasSuffix("/") ? root.path : root.path + "/"
        for case let url as URL in enumerator {
            // Symbolic links that lead outside the folder are not followed.
            let path = url.resolvingSymlinksInPath().path
            guard path.hasPrefix(prefix) else { continue }
            let relative = String(path.dropFirst(prefix.count))
            let values = try? url.resourceValues(forKeys: [.isRegularFileKey, .isDirectoryKey])
            if values?.isDirectory == true {
                if relative == "schema" { enumerator.skipDescendants() }
                continue
            }
            guard values?.isRegularFile == true, isManifestPath(relative) else { continue }
            // Read at most one byte more than the limit: a larger file is refused without loading it.
            guard let handle = FileHandle(forReadingAtPath: path) else {
                unreadable.append(
                    Diagnostic(
                        severity: .error,
                        file: relative,
                        line: 1,
                        column: 1,
                        message: "cannot read the file",
                        hint: "check its permissions"
                    )
                )
                continue
            }
            defer { try? handle.close() }
            let data = (try? handle.read(upToCount: options.limits.maxFileBytes + 1)) ?? Data()
            sources.append(ManifestSource(path: relative, contents: [UInt8](data)))
        }
        var bundle = load(sources, options: options)
        if !unreadable.isEmpty {
            bundle.sharedDiagnostics = (bundle.sharedDiagnostics + unreadable).sortedUnique()
            bundle.diagnostics = (bundle.diagnostics + unreadable).sortedUnique()
            bundle.environments = [:]
        }
        return bundle
    }
}
