import ShipshapeManifest

/// An AWS provider could not observe or change a resource. The message names the resource, what
/// failed, and what to do; it never carries credentials.
public struct AWSProviderError: ClassifiedError, CustomStringConvertible {
    /// What went wrong.
    public enum Code: String, Sendable, Hashable {
        /// A resource the manifests name or adopt does not exist.
        case notFound
        /// An adoption tag matches more than one resource.
        case ambiguous
        /// The change needs something Shipshape does not do (launch an instance, delete a database).
        case unsupported
        /// The image a service needs is not in ECR.
        case imageMissing
        /// An ECS deployment did not settle and was rolled back.
        case deploymentStalled
        /// A resource did not reach the expected state in time.
        case timeout
        /// A resource another one refers to does not exist yet.
        case dependencyPending
        /// The environment's region has no client.
        case regionMismatch
        /// The desired state cannot be expressed in AWS (no region, a malformed image reference).
        case invalidDesiredState
    }

    public var code: Code
    /// `KIND/NAME`, or the environment when no single resource is concerned.
    public var subject: String
    public var message: String
    public var disposition: ErrorDisposition

    public init(_ code: Code, subject: String, message: String, disposition: ErrorDisposition) {
        self.code = code
        self.subject = subject
        self.message = message
        self.disposition = disposition
    }

    public var description: String { "\(subject): \(message)" }

    static func notFound(_ resource: ResourceID, _ message: String) -> AWSProviderError {
        AWSProviderError(.notFound, subject: resource.description, message: message, disposition: .stalled)
    }

    static func ambiguous(_ resource: ResourceID, tag: String, matches: [String]) -> AWSProviderError {
        AWSProviderError(
            .ambiguous, subject: resource.description,
            message: "adoption tag \(tag) matches \(matches.count) resources (\(matches.sorted().joined(separator: ", "))); "
                + "make the tag unique or adopt by id",
            disposition: .stalled)
    }

    static func unsupported(_ resource: ResourceID, _ message: String) -> AWSProviderError {
        AWSProviderError(.unsupported, subject: resource.description, message: message, disposition: .stalled)
    }

    static func imageMissing(_ resource: ResourceID, reference: String, repository: String) -> AWSProviderError {
        AWSProviderError(
            .imageMissing, subject: resource.description,
            message: "image \(reference) is not in ECR repository \(repository); push it, or fix the tag/digest in the manifest "
                + "(services using it are not touched)",
            disposition: .stalled)
    }

    static func timeout(_ resource: ResourceID, _ message: String) -> AWSProviderError {
        AWSProviderError(.timeout, subject: resource.description, message: message, disposition: .transient)
    }

    static func dependencyPending(_ resource: ResourceID, _ message: String) -> AWSProviderError {
        AWSProviderError(.dependencyPending, subject: resource.description, message: message, disposition: .waiting)
    }

    static func regionMismatch(requested: String, configured: String) -> AWSProviderError {
        AWSProviderError(
            .regionMismatch, subject: "region \(requested)",
            message: "the AWS client is configured for \(configured), not \(requested); give the controller a client for "
                + "\(requested) or fix spec.region",
            disposition: .stalled)
    }

    static func invalid(_ subject: String, _ message: String) -> AWSProviderError {
        AWSProviderError(.invalidDesiredState, subject: subject, message: message, disposition: .stalled)
    }

    /// The region of an environment that declares AWS resources (`declares`, e.g. "declares
    /// instances"); an `invalidDesiredState` error naming the environment when it has none.
    static func region(of environment: Environment, _ declares: String) throws -> String {
        guard let region = environment.spec.region else {
            throw invalid("environment \(environment.name)", "\(declares) but has no spec.region; add the AWS region")
        }
        return region
    }
}
