import Foundation
import Logging
import ShipshapeAWS
import ShipshapeController
import ShipshapeTesting
import Synchronization
import Testing

/// The leader lease against DynamoDB in moto: conditional writes decide, the clock is injected.
@Suite("DynamoDB lease")
struct DynamoDBLeaseTests {
    final class Clock: Sendable {
        private let value = Mutex(Date(timeIntervalSince1970: 1_800_000_000))
        func now() -> Date { value.withLock { $0 } }
        func advance(_ seconds: TimeInterval) { value.withLock { $0 = $0.addingTimeInterval(seconds) } }
    }

    func withTable(_ body: (DynamoDBClient) async throws -> Void) async throws {
        // One request at a time into moto, whose conditional writes are not atomic under concurrency.
        try await AWSFaultProxy.withMoto(serialized: true) { moto, proxy in
            let client = AWSClient(
                configuration: .init(region: moto.region, endpoint: proxy.endpoint),
                credentialProvider: StaticCredentialProvider(AWSCredentials(accessKeyID: "AKIDTEST", secretAccessKey: "test")),
                logger: Logger(label: "test.lease"))
            do {
                let dynamo = DynamoDBClient(client: client)
                try await dynamo.createTable("shipshape-leases", hashKey: "name")
                try await body(dynamo)
            } catch {
                try? await client.shutdown()
                throw error
            }
            try await client.shutdown()
        }
    }

    @Test("of controllers racing for a free lease exactly one wins, every round")
    func race() async throws {
        try await withTable { dynamo in
            let clock = Clock()
            for round in 0..<5 {
                let name = "env-\(round)"
                let contenders = (0..<4).map {
                    DynamoDBLease(
                        table: "shipshape-leases", name: name, holder: "host-\($0)", duration: .seconds(30),
                        client: dynamo, now: clock.now)
                }
                let winners = try await withThrowingTaskGroup(of: Int.self) { group in
                    for contender in contenders {
                        group.addTask { try await contender.acquireOrRenew() == nil ? 0 : 1 }
                    }
                    return try await group.reduce(0, +)
                }
                #expect(winners == 1, "round \(round): \(winners) winners")
            }
        }
    }

    @Test("the holder renews; another takes over only after expiry, with a new generation; the old holder is fenced")
    func takeover() async throws {
        try await withTable { dynamo in
            let clock = Clock()
            let first = DynamoDBLease(
                table: "shipshape-leases", name: "prod", holder: "a", duration: .seconds(30), client: dynamo, now: clock.now)
            let second = DynamoDBLease(
                table: "shipshape-leases", name: "prod", holder: "b", duration: .seconds(30), client: dynamo, now: clock.now)
            let held = try #require(try await first.acquireOrRenew())
            #expect(held.generation == 1)
            #expect(try await second.acquireOrRenew() == nil)
            clock.advance(20)
            #expect(try await first.acquireOrRenew()?.generation == 1)  // renewal keeps the generation
            clock.advance(20)
            #expect(try await second.acquireOrRenew() == nil)  // renewed 20 s ago: not expired

            // The first stops renewing: past expiry the second takes over with generation 2.
            clock.advance(31)
            #expect(await first.current == nil)  // its own view expired: it stops acting by itself
            #expect(await first.isValid(generation: 1) == false)
            let taken = try #require(try await second.acquireOrRenew())
            #expect(taken.generation == 2)
            #expect(try await first.acquireOrRenew() == nil)  // fenced: it cannot renew any more

            // Releasing frees it at once.
            await second.release()
            #expect(try await first.acquireOrRenew()?.generation == 3)
        }
    }
}
