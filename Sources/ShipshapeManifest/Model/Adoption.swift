/// How to find an existing resource that a manifest adopts (made by Terraform or by hand).
/// Adopted resources are never deleted unless the policy prunes them explicitly.
public enum Adoption: Sendable, Hashable {
    /// By its AWS id (`i-…`, `sg-…`, a DB instance identifier).
    case id(String)
    /// By one tag, `Key=Value`; exactly one resource must carry it.
    case tag(key: String, value: String)
}
