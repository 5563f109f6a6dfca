import Foundation

/// An image in an ECR repository.
public struct ECRImage: Sendable, Hashable {
    public var repositoryName: String
    public var digest: String
    public var tags: [String]
    public var pushedAt: Date?
    public var sizeInBytes: Int?
}

/// A Docker login for an ECR registry, from GetAuthorizationToken.
public struct ECRAuthorization: Sendable, CustomStringConvertible {
    /// Always `AWS`.
    public var username: String
    /// The registry password. Never logged.
    public var password: String
    /// `https://{account}.dkr.ecr.{region}.amazonaws.com`.
    public var proxyEndpoint: String
    public var expiresAt: Date?
    public var description: String {
        "ECRAuthorization(username: \(username), password: ****, proxyEndpoint: \(proxyEndpoint), expiresAt: \(expiresAt.map { "\($0)" } ?? "nil"))"
    }
}

/// What to look up in DescribeImages.
public enum ECRImageReference: Sendable, Hashable, CustomStringConvertible {
    case tag(String)
    case digest(String)
    public var description: String {
        switch self {
        case .tag(let tag): tag
        case .digest(let digest): digest
        }
    }
}

/// ECR: does an image exist, and the Docker login for pulls.
public struct ECRClient: Sendable {
    public let client: AWSClient
    public init(client: AWSClient) { self.client = client }

    private struct ImageID: Codable {
        var imageTag: String?
        var imageDigest: String?
    }
    private struct DescribeImagesInput: Encodable {
        var repositoryName: String
        var registryId: String?
        var imageIds: [ImageID]?
        var nextToken: String?
        var maxResults: Int?
    }
    private struct DescribeImagesOutput: Decodable {
        struct Detail: Decodable {
            var repositoryName: String?
            var imageDigest: String?
            var imageTags: [String]?
            var imagePushedAt: Double?
            var imageSizeInBytes: Int?
        }
        var imageDetails: [Detail]?
        var nextToken: String?
    }

    /// Describes `images` in `repository` (every image when empty). A missing tag or digest fails with
    /// `ImageNotFoundException`; a missing repository with `RepositoryNotFoundException`.
    public func describeImages(repository: String, images: [ECRImageReference] = [], registryID: String? = nil)
        async throws -> [ECRImage]
    {
        let ids = images.map { reference -> ImageID in
            switch reference {
            case .tag(let tag): ImageID(imageTag: tag)
            case .digest(let digest): ImageID(imageDigest: digest)
            }
        }
        return try await paginate(.ecrDescribeImages) { token in
            let output = try await client.json(
                .ecrDescribeImages,
                DescribeImagesInput(
                    repositoryName: repository, registryId: registryID, imageIds: ids.isEmpty ? nil : ids,
                    nextToken: token, maxResults: ids.isEmpty ? 1000 : nil),
                as: DescribeImagesOutput.self)
            let found = (output.imageDetails ?? []).map {
                ECRImage(
                    repositoryName: $0.repositoryName ?? repository, digest: $0.imageDigest ?? "", tags: $0.imageTags ?? [],
                    pushedAt: $0.imagePushedAt.map { Date(timeIntervalSince1970: $0) }, sizeInBytes: $0.imageSizeInBytes)
            }
            return (found, output.nextToken)
        }
    }

    /// Whether `reference` exists in `repository`: `true`, or `false` for `ImageNotFoundException`.
    /// Other errors (missing repository, auth) are thrown.
    public func imageExists(repository: String, _ reference: ECRImageReference) async throws -> Bool {
        do {
            return try await !describeImages(repository: repository, images: [reference]).isEmpty
        } catch let error as AWSError where error.is(.imageNotFound) {
            return false
        }
    }

    private struct TokenOutput: Decodable {
        struct AuthorizationData: Decodable {
            var authorizationToken: String?
            var expiresAt: Double?
            var proxyEndpoint: String?
        }
        var authorizationData: [AuthorizationData]?
    }

    /// A Docker login for the account's registry (the base64 `user:password` token decoded).
    public func getAuthorization() async throws -> ECRAuthorization {
        let output = try await client.json(.ecrGetAuthorizationToken, EmptyJSON(), as: TokenOutput.self)
        guard let data = output.authorizationData?.first, let token = data.authorizationToken,
            let decoded = Data(base64Encoded: token).map({ String(decoding: $0, as: UTF8.self) }),
            let colon = decoded.firstIndex(of: ":")
        else {
            throw AWSError(
                code: AWSError.Code.malformedResponse.rawValue, message: "GetAuthorizationToken returned no usable token",
                service: "ecr", operation: "GetAuthorizationToken", classification: .client)
        }
        return ECRAuthorization(
            username: String(decoded[..<colon]), password: String(decoded[decoded.index(after: colon)...]),
            proxyEndpoint: data.proxyEndpoint ?? "", expiresAt: data.expiresAt.map { Date(timeIntervalSince1970: $0) })
    }
}
