// ShipshapeManifest: the manifest format v1. A typed model, strict YAML decoding with
// file:line:column diagnostics, base + overlay merging, and semantic validation. Pure: no network,
// no clock. Entry point: `ManifestLoader.load(_:options:)`; reference: docs/manifests.md.
//
// Folders follow the flow: Loading (sources in, bundle out) → Syntax (bytes to a located node tree,
// hostile-input limits, overlay merge) → Decoding (strict typed decoding and validation) → Model
// (the typed desired state) → Rendering (canonical YAML, diagnostic output formats).
