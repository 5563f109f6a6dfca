public import ShipshapeManifest

/// The manifests of one revision, decoded and validated once and shared by every environment.
public struct ManifestSnapshot: Sendable {
    /// The commit id, or a content digest for a folder that is not a Git checkout.
    public var revision: String
    public var bundle: ManifestBundle
    /// Plan approvals given by signed `Approve-Plan:` commit trailers up to this revision (the
    /// newest first seen since the controller started, bounded).
    public var approvals: [PlanApproval]

    public init(revision: String, bundle: ManifestBundle, approvals: [PlanApproval] = []) {
        self.revision = revision
        self.bundle = bundle
        self.approvals = approvals
    }
}

/// `Approve-Plan: PLAN-ID` in a commit whose signature an allowed signer made.
public struct PlanApproval: Sendable, Hashable {
    /// The approved plan, `plan-` and 12 hex digits.
    public var plan: String
    /// The commit that carries the trailer.
    public var revision: String
    /// Who signed that commit (the allowed_signers principal or the OpenPGP user id).
    public var signer: String

    public init(plan: String, revision: String, signer: String) {
        self.plan = plan
        self.revision = revision
        self.signer = signer
    }

    /// The trailer's key; git compares trailer keys case-insensitively.
    public static let trailer = "Approve-Plan"

    /// Whether `text` has the shape of a plan id.
    public static func isPlanID(_ text: String) -> Bool {
        text.count == 17 && text.hasPrefix("plan-") && text.dropFirst(5).allSatisfy { $0.isHexDigit && !$0.isUppercase }
    }
}
