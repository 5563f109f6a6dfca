import AsyncHTTPClient
import Foundation
import Logging
import Synchronization

/// Tries providers in order and uses the first that gives credentials, as the AWS SDKs do.
///
/// `CredentialChain.default` is environment → shared profile files → IMDSv2. Once a provider has
/// answered, the chain keeps asking that one (it caches and refreshes itself) until it fails, then
/// walks the whole chain again. When none answers, the error lists what each one said.
public final class CredentialChain: CredentialProvider {
    public let providers: [any CredentialProvider]
    private let chosen = Mutex<Int?>(nil)

    public init(_ providers: [any CredentialProvider]) { self.providers = providers }

    /// Environment, then profile files (when `AWS_PROFILE` is set or the files exist), then IMDSv2.
    public static func `default`(
        httpClient: HTTPClient, environment: [String: String] = ProcessInfo.processInfo.environment,
        imdsTimeout: Duration = .seconds(1)
    ) -> CredentialChain {
        CredentialChain([
            EnvironmentCredentialProvider(environment: environment),
            ProfileCredentialProvider(environment: environment),
            IMDSCredentialProvider(httpClient: httpClient, environment: environment, timeout: imdsTimeout),
        ])
    }

    public func credentials(logger: Logger) async throws -> AWSCredentials {
        if let index = chosen.withLock({ $0 }), let credentials = try? await providers[index].credentials(logger: logger) {
            return credentials
        }
        var reasons: [String] = []
        for (index, provider) in providers.enumerated() {
            do {
                let credentials = try await provider.credentials(logger: logger)
                chosen.withLock { $0 = index }
                logger.debug("using AWS credentials", metadata: ["source": "\(credentials.source)"])
                return credentials
            } catch let error as AWSError {
                reasons.append(error.message)
            } catch {
                reasons.append("\(error)")
            }
        }
        throw AWSError(
            code: AWSError.Code.noCredentials.rawValue,
            message: "no AWS credentials found: " + reasons.joined(separator: "; "),
            service: "credentials", operation: "chain", classification: .auth)
    }
}
