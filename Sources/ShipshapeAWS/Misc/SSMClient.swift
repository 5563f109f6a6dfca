import Foundation

/// An SSM parameter. `description` masks the value of `SecureString` parameters.
public struct SSMParameter: Sendable, Hashable, CustomStringConvertible {
    public var name: String
    /// `String`, `StringList` or `SecureString`.
    public var type: String
    public var value: String
    public var version: Int?
    public var description: String {
        "SSMParameter(name: \(name), type: \(type), value: \(type == "SecureString" ? "****" : value), version: \(version.map(String.init) ?? "nil"))"
    }
}

/// SSM Parameter Store reads.
public struct SSMClient: Sendable {
    public let client: AWSClient
    public init(client: AWSClient) { self.client = client }

    private struct ParameterJSON: Decodable {
        var Name: String
        var `Type`: String?
        var Value: String?
        var Version: Int?
        var model: SSMParameter { SSMParameter(name: Name, type: `Type` ?? "String", value: Value ?? "", version: Version) }
    }

    /// One parameter; a missing one fails with `ParameterNotFound`.
    public func getParameter(_ name: String, withDecryption: Bool = true) async throws -> SSMParameter {
        struct Input: Encodable {
            var Name: String
            var WithDecryption: Bool
        }
        struct Output: Decodable { var Parameter: ParameterJSON }
        return try await client.json(.ssmGetParameter, Input(Name: name, WithDecryption: withDecryption), as: Output.self)
            .Parameter.model
    }

    /// Several parameters (10 per call, as SSM allows); names SSM does not know are in `invalid`.
    public func getParameters(_ names: [String], withDecryption: Bool = true) async throws
        -> (parameters: [SSMParameter], invalid: [String])
    {
        struct Input: Encodable {
            var Names: [String]
            var WithDecryption: Bool
        }
        struct Output: Decodable {
            var Parameters: [ParameterJSON]?
            var InvalidParameters: [String]?
        }
        var parameters: [SSMParameter] = []
        var invalid: [String] = []
        for start in stride(from: 0, to: names.count, by: 10) {
            let batch = Array(names[start..<min(start + 10, names.count)])
            let output = try await client.json(
                .ssmGetParameters, Input(Names: batch, WithDecryption: withDecryption), as: Output.self)
            parameters += (output.Parameters ?? []).map(\.model)
            invalid += output.InvalidParameters ?? []
        }
        return (parameters, invalid)
    }
}
