// ShipshapeManifest: the manifest format v1. A typed model, strict YAML decoding with
// file:line:column diagnostics, base + overlay merging, and semantic validation. Pure: no network,
// no clock.
