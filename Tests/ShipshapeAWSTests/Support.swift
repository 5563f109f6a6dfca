import Foundation
import Logging
import ShipshapeAWS
import ShipshapeTesting
import Synchronization

/// Delays the client asked to sleep, recorded instead of slept (retries stay fast and checkable).
final class SleepRecorder: Sendable {
    private let delays = Mutex<[Duration]>([])
    var recorded: [Duration] { delays.withLock { $0 } }
    var sleep: @Sendable (Duration) async throws -> Void {
        { [self] duration in delays.withLock { $0.append(duration) } }
    }
}

/// Limits how many moto servers this test process runs at once (each is a Python process; the
/// test machines have two cores shared with other builds).
actor MotoSlots {
    static let shared = MotoSlots(limit: 4)
    private var free: Int
    private var waiters: [CheckedContinuation<Void, Never>] = []

    init(limit: Int) { free = limit }

    func acquire() async {
        if free > 0 {
            free -= 1
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    func release() {
        if waiters.isEmpty { free += 1 } else { waiters.removeFirst().resume() }
    }

    /// Runs `body` holding a slot.
    static func with<T>(_ body: () async throws -> T) async throws -> T {
        await shared.acquire()
        do {
            let result = try await body()
            await shared.release()
            return result
        } catch {
            await shared.release()
            throw error
        }
    }
}

/// moto (and optionally a fault proxy in front of it) plus an `AWSClient` aimed at it.
struct MotoFixture {
    let moto: MotoServer
    let proxy: AWSFaultProxy?
    let client: AWSClient
    let sleeps: SleepRecorder

    static let region = "us-east-1"

    /// Starts moto, optionally a proxy, and a client with dummy keys; runs `body`; cleans up.
    static func with<T>(
        proxy useProxy: Bool = false,
        motoEnvironment: [String: String] = [:],
        retry: RetryPolicy = RetryPolicy(jitter: { 1 }),
        now: @escaping @Sendable () -> Date = { Date() },
        _ body: (MotoFixture) async throws -> T
    ) async throws -> T {
        try await MotoSlots.with {
            try await run(proxy: useProxy, motoEnvironment: motoEnvironment, retry: retry, now: now, body)
        }
    }

    private static func run<T>(
        proxy useProxy: Bool,
        motoEnvironment: [String: String],
        retry: RetryPolicy,
        now: @escaping @Sendable () -> Date,
        _ body: (MotoFixture) async throws -> T
    ) async throws -> T {
        let moto = try await MotoServer.start(region: region, environment: motoEnvironment)
        var proxy: AWSFaultProxy?
        do {
            if useProxy { proxy = try await AWSFaultProxy.start(upstream: moto.endpoint) }
            let sleeps = SleepRecorder()
            let client = AWSClient(
                configuration: .init(
                    region: region, endpoint: proxy?.endpoint ?? moto.endpoint, environment: [:], retry: retry,
                    attemptTimeout: .seconds(60), now: now, sleep: sleeps.sleep),
                credentialProvider: StaticCredentialProvider(
                    AWSCredentials(accessKeyID: MotoServer.dummyAccessKeyID, secretAccessKey: MotoServer.dummySecretAccessKey)),
                logger: Logger(label: "test.aws"))
            let fixture = MotoFixture(moto: moto, proxy: proxy, client: client, sleeps: sleeps)
            do {
                let result = try await body(fixture)
                try? await client.shutdown()
                await proxy?.stop()
                await moto.stop()
                return result
            } catch {
                try? await client.shutdown()
                throw error
            }
        } catch {
            await proxy?.stop()
            await moto.stop()
            throw error
        }
    }
}

/// Parses the JSON text awscli/boto3 printed.
func jsonObject(_ text: String) throws -> [String: Any] {
    (try JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
}

/// Runs `body` with a client that is shut down afterwards, whether `body` throws or not.
func withAWSClient<T>(
    _ configuration: AWSClient.Configuration,
    credentials: AWSCredentials = AWSCredentials(accessKeyID: "AKIDTEST", secretAccessKey: "x"),
    _ body: (AWSClient) async throws -> T
) async throws -> T {
    let client = AWSClient(
        configuration: configuration, credentialProvider: StaticCredentialProvider(credentials),
        logger: Logger(label: "test.aws"))
    do {
        let result = try await body(client)
        try await client.shutdown()
        return result
    } catch {
        try? await client.shutdown()
        throw error
    }
}
