import Foundation

/// The EC2 calls Shipshape needs: security groups and their rules, instances, tags, VPCs.
///
/// Every describe follows `NextToken` to the end. DescribeInstances pages count *reservations*,
/// not instances, so a page of `pageSize` may hold more instances than that.
public struct EC2Client: Sendable {
    public let client: AWSClient
    /// `MaxResults` sent with describes that allow it (5…1000).
    public var pageSize: Int

    public init(client: AWSClient, pageSize: Int = 1000) {
        self.client = client
        self.pageSize = min(max(pageSize, 5), 1000)
    }

    static func addFilters(_ filters: [EC2Filter], to parameters: inout QueryParameters) {
        for (index, filter) in filters.enumerated() {
            parameters.add("Filter.\(index + 1).Name", filter.name)
            parameters.addList("Filter.\(index + 1).Value", filter.values)
        }
    }

    static func addTags(_ tags: [String: String], prefix: String, to parameters: inout QueryParameters) {
        for (index, key) in tags.keys.sorted().enumerated() {
            parameters.add("\(prefix).\(index + 1).Key", key)
            parameters.add("\(prefix).\(index + 1).Value", tags[key])
        }
    }

    // MARK: Tags

    /// Sets `tags` on every resource in `resourceIDs` (adds or overwrites).
    public func createTags(resourceIDs: [String], tags: [String: String]) async throws {
        guard !resourceIDs.isEmpty, !tags.isEmpty else { return }
        var parameters = QueryParameters()
        parameters.addList("ResourceId", resourceIDs)
        Self.addTags(tags, prefix: "Tag", to: &parameters)
        _ = try await client.query(.ec2CreateTags, parameters)
    }

    /// Removes the tags named `keys` from every resource in `resourceIDs`.
    public func deleteTags(resourceIDs: [String], keys: [String]) async throws {
        guard !resourceIDs.isEmpty, !keys.isEmpty else { return }
        var parameters = QueryParameters()
        parameters.addList("ResourceId", resourceIDs)
        for (index, key) in keys.sorted().enumerated() { parameters.add("Tag.\(index + 1).Key", key) }
        _ = try await client.query(.ec2DeleteTags, parameters)
    }

    // MARK: VPCs

    /// VPCs by id and/or filters (all of them when both are empty).
    public func describeVPCs(vpcIDs: [String] = [], filters: [EC2Filter] = []) async throws -> [VPC] {
        try await paginate(.ec2DescribeVpcs) { token in
            var parameters = QueryParameters()
            parameters.addList("VpcId", vpcIDs)
            Self.addFilters(filters, to: &parameters)
            if vpcIDs.isEmpty { parameters.add("MaxResults", pageSize) }
            parameters.add("NextToken", token)
            let root = try await client.query(.ec2DescribeVpcs, parameters)
            let vpcs = root.list("vpcSet").map { item in
                VPC(
                    vpcID: item.string("vpcId") ?? "", cidrBlock: item.string("cidrBlock") ?? "",
                    isDefault: item.string("isDefault") == "true", state: item.string("state") ?? "",
                    tags: EC2Tags.parse(item))
            }
            return (vpcs, root.string("nextToken"))
        }
    }
}
