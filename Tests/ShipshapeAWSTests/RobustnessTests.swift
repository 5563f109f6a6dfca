import Foundation
import Logging
import NIOHTTP1
@testable import ShipshapeAWS
import Testing

/// Damaged responses must give typed errors or parsed values, never a crash.
@Suite("robustness of the decoders")
struct RobustnessTests {
    /// A deterministic generator, so a failure can be reproduced from the seed.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func mutations(of text: String, count: Int, seed: UInt64) -> [Data] {
        var rng = SplitMix(state: seed)
        let bytes = Array(text.utf8)
        return (0..<count).map { _ in
            var copy = bytes
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: copy = Array(copy.prefix(Int.random(in: 0...copy.count, using: &rng)))
            case 1:
                for _ in 0..<Int.random(in: 1...8, using: &rng) where !copy.isEmpty {
                    copy[Int.random(in: 0..<copy.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
                }
            case 2:
                if !copy.isEmpty {
                    let at = Int.random(in: 0..<copy.count, using: &rng)
                    copy.insert(contentsOf: Array("<x>&amp;<![CDATA[".utf8), at: at)
                }
            default:
                copy = (0..<Int.random(in: 0...200, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            }
            return Data(copy)
        }
    }

    @Test("mutated EC2, awsquery and JSON error bodies decode to an AWSError with a code")
    func mutatedErrors() async throws {
        let captures = try WireFormatTests.captures()
        let client = AWSClient(
            configuration: .init(region: "us-east-1", environment: [:]),
            credentialProvider: StaticCredentialProvider(AWSCredentials(accessKeyID: "a", secretAccessKey: "b")),
            logger: Logger(label: "test"))
        let cases: [(String, AWSAction)] = [
            (captures[2].resp_body, .ec2DescribeInstances),
            (captures[3].resp_body, .ecsDescribeTaskDefinition),
            (
                "<ErrorResponse><Error><Type>Sender</Type><Code>DBInstanceNotFound</Code><Message>x</Message></Error><RequestId>r</RequestId></ErrorResponse>",
                .rdsDescribeDBInstances
            ),
        ]
        for (index, (body, action)) in cases.enumerated() {
            for data in Self.mutations(of: body, count: 400, seed: UInt64(index + 1)) {
                for status in [400, 403, 500, 503] {
                    let error = client.decodeError(.init(status: status, headers: HTTPHeaders(), body: data), action: action)
                    #expect(!error.code.isEmpty)
                    #expect(error.operation == action.name)
                    if status >= 500 && !AWSError.throttlingCodes.contains(error.code) && !AWSError.authCodes.contains(error.code) {
                        #expect(error.classification == .transient || error.classification == .throttling)
                    }
                }
            }
        }
        try await client.shutdown()
    }

    @Test("mutated DescribeInstances responses parse or throw XMLParseError")
    func mutatedXML() throws {
        let body = try WireFormatTests.captures()[0].resp_body
        for data in Self.mutations(of: body, count: 500, seed: 42) {
            do {
                let root = try XMLElementNode.parse(data)
                _ = root.list("reservationSet").flatMap { $0.list("instancesSet") }
            } catch is XMLElementNode.XMLParseError {
                continue
            }
        }
    }
}
