public import Foundation
public import ShipshapeAWS

/// A leader lease kept in a DynamoDB table, so that of several controllers running for high
/// availability exactly one applies AWS changes.
///
/// The item `{name, holder, generation, expiresAt}` is written only with conditional writes: a
/// controller takes the lease when it is free or expired, and renews it while it holds it. Every
/// takeover increments `generation` (the fencing token); a holder that was replaced finds out at
/// its next renewal, and in the meantime stops by itself once its own view of the lease expires.
public actor DynamoDBLease {
    public let table: String
    public let name: String
    /// This controller's identity in the lease (host name, process id and a random suffix).
    public let holder: String
    public let duration: Duration
    private let client: DynamoDBClient
    private let now: @Sendable () -> Date
    private var held: Held?

    /// The lease as this controller holds it.
    public struct Held: Sendable, Hashable {
        public var generation: Int
        /// Until when this controller may act: the expiry it wrote, less a safety margin for clock
        /// differences between hosts.
        public var validUntil: Date
    }

    public init(
        table: String, name: String, holder: String, duration: Duration, client: DynamoDBClient,
        now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.table = table
        self.name = name
        self.holder = holder
        self.duration = duration
        self.client = client
        self.now = now
    }

    /// A holder id unique to this process: `HOST/PID/RANDOM`.
    public static func defaultHolder() -> String {
        "\(ProcessInfo.processInfo.hostName)/\(ProcessInfo.processInfo.processIdentifier)/\(UInt32.random(in: 0...UInt32.max))"
    }

    /// Takes the lease if it is free or expired, or renews it if this controller holds it.
    /// Returns the lease as held, or nil when another controller holds it.
    @discardableResult
    public func acquireOrRenew() async throws -> Held? {
        let key: DynamoDBItem = ["name": .string(name)]
        let current = try await client.getItem(table: table, key: key)
        let time = now()
        let expiresAt = time.addingTimeInterval(duration.seconds)
        let item: DynamoDBItem
        let condition: DynamoDBCondition
        let generation: Int
        if let current {
            let currentGeneration = Int(current["generation"]?.numberText ?? "") ?? 0
            let currentHolder = current["holder"]?.stringValue
            let currentExpiry = Double(current["expiresAt"]?.numberText ?? "") ?? 0
            let mine = currentHolder == holder
            if !mine && currentExpiry > time.timeIntervalSince1970 {
                held = nil
                return nil
            }
            generation = mine ? currentGeneration : currentGeneration + 1
            // The item must still be what was read: no other controller renewed or took it since.
            condition = DynamoDBCondition(
                "#generation = :read AND #holder = :readHolder AND #expiresAt = :readExpiry",
                names: ["#generation": "generation", "#holder": "holder", "#expiresAt": "expiresAt"],
                values: [
                    ":read": .number(String(currentGeneration)),
                    ":readHolder": .string(currentHolder ?? ""),
                    ":readExpiry": current["expiresAt"] ?? .number("0"),
                ])
        } else {
            generation = 1
            condition = DynamoDBCondition("attribute_not_exists(#name)", names: ["#name": "name"])
        }
        item = [
            "name": .string(name),
            "holder": .string(holder),
            "generation": .number(String(generation)),
            "expiresAt": .number(String(format: "%.3f", expiresAt.timeIntervalSince1970)),
        ]
        do {
            try await client.putItem(table: table, item: item, condition: condition)
        } catch let error as AWSError where error.is(.conditionalCheckFailed) {
            held = nil
            return nil
        }
        // Act only until shortly before the written expiry: another host's clock may run ahead.
        let margin = min(duration.seconds / 5, 5)
        let lease = Held(generation: generation, validUntil: expiresAt.addingTimeInterval(-margin))
        held = lease
        return lease
    }

    /// The lease if this controller holds it and its own view has not expired.
    public var current: Held? {
        guard let held, held.validUntil > now() else { return nil }
        return held
    }

    /// Whether this controller may still act under `generation`.
    public func isValid(generation: Int) -> Bool {
        current?.generation == generation
    }

    /// Gives the lease up (on shutdown), so another controller need not wait for it to expire. The
    /// item stays, expired, so the next holder's generation still counts up (fencing).
    public func release() async {
        guard let released = held else { return }
        held = nil
        try? await client.putItem(
            table: table,
            item: [
                "name": .string(name), "holder": .string(holder),
                "generation": .number(String(released.generation)), "expiresAt": .number("0"),
            ],
            condition: DynamoDBCondition(
                "#holder = :me AND #generation = :generation",
                names: ["#holder": "holder", "#generation": "generation"],
                values: [":me": .string(holder), ":generation": .number(String(released.generation))]))
    }
}

extension DynamoDBAttributeValue {
    var numberText: String? {
        if case .number(let text) = self { return text }
        return nil
    }

}
