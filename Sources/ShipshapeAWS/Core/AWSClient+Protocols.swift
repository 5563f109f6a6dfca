import Foundation
import NIOHTTP1

extension AWSClient {
    /// Calls a Query-protocol `action` (EC2, RDS, ELBv2, STS) and returns the response's root element.
    public func query(_ action: AWSAction, _ parameters: QueryParameters = QueryParameters()) async throws -> XMLElementNode {
        let version: String
        switch action.service.protocol {
        case .ec2Query(let v), .awsQuery(let v): version = v
        case .json: preconditionFailure("\(action) is a JSON-protocol action")
        }
        let body = parameters.formBody(action: action.name, version: version)
        let response = try await send(
            action, body: Array(body.utf8), contentType: "application/x-www-form-urlencoded; charset=utf-8")
        do {
            return try XMLElementNode.parse(response.body)
        } catch {
            throw malformed(action, "response is not XML (\(error))", response)
        }
    }

    /// Calls an awsquery `action` and returns its `<ActionResult>` element.
    public func awsQueryResult(_ action: AWSAction, _ parameters: QueryParameters = QueryParameters()) async throws
        -> XMLElementNode
    {
        let root = try await query(action, parameters)
        return root["\(action.name)Result"] ?? XMLElementNode(name: "\(action.name)Result")
    }

    /// Calls a JSON-protocol `action` (ECS, ECR, DynamoDB, SSM, Secrets Manager) with `input` and
    /// decodes the response as `Output`.
    public func json<Input: Encodable, Output: Decodable>(
        _ action: AWSAction, _ input: Input, as output: Output.Type = Output.self
    ) async throws -> Output {
        guard case .json(let version, let prefix) = action.service.protocol else {
            preconditionFailure("\(action) is not a JSON-protocol action")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let body = try encoder.encode(input)
        let response = try await send(
            action, body: Array(body), contentType: "application/x-amz-json-\(version)",
            extraHeaders: [("X-Amz-Target", "\(prefix).\(action.name)")])
        let data = response.body.isEmpty ? Data("{}".utf8) : response.body
        do {
            return try JSONDecoder().decode(Output.self, from: data)
        } catch {
            throw malformed(action, "cannot decode \(Output.self): \(error)", response)
        }
    }

    private func malformed(_ action: AWSAction, _ reason: String, _ response: RawResponse) -> AWSError {
        AWSError(
            code: AWSError.Code.malformedResponse.rawValue, message: reason,
            requestID: response.headers.first(name: "x-amzn-requestid"), service: action.service.signingName,
            operation: action.name, httpStatus: response.status, classification: .client)
    }
}

/// An empty JSON object, for calls without input or whose output is not needed.
public struct EmptyJSON: Codable, Sendable {
    public init() {}
}
