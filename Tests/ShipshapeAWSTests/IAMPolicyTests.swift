import Foundation
import ShipshapeAWS
import Testing

/// `deploy/iam-policy.json` (the instance role's policy) must allow exactly the actions the
/// client calls, so the policy and the code cannot drift apart.
@Suite("IAM policy")
struct IAMPolicyTests {
    /// Actions the role needs that the client does not call itself: dockerd pulls image layers
    /// from ECR with the token from GetAuthorizationToken.
    static let pulledByDocker: Set<String> = [
        "ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer",
    ]

    @Test("deploy/iam-policy.json allows exactly the actions AWSAction.all calls, plus Docker's ECR pulls")
    func policyMatchesCode() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let data = try Data(contentsOf: root.appendingPathComponent("deploy/iam-policy.json"))
        let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let statements = try #require(document["Statement"] as? [[String: Any]])
        var allowed = Set<String>()
        for statement in statements {
            #expect(statement["Effect"] as? String == "Allow")
            if let action = statement["Action"] as? String { allowed.insert(action) }
            if let actions = statement["Action"] as? [String] { allowed.formUnion(actions) }
        }
        #expect(!allowed.contains { $0.contains("*") }, "no wildcard actions")
        let called = Set(AWSAction.iamActions)
        let missing = called.subtracting(allowed)
        let extra = allowed.subtracting(called).subtracting(Self.pulledByDocker)
        #expect(missing.isEmpty, "the code calls actions the policy does not allow: \(missing.sorted())")
        #expect(extra.isEmpty, "the policy allows actions the code never calls: \(extra.sorted())")
    }
}
