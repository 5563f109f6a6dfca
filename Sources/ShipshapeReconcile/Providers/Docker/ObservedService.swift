import Foundation
import ShipshapeDocker

/// The containers of one Docker service as observed, and the attributes they add up to.
///
/// The containers of one spec (label `shipshape.io/spec`) in one slot form a *set*. The *active*
/// set is the running set created last: during a rolling update it is the new version (too few
/// replicas of it until the update is through), after a blue/green switch it is green. Every other
/// container is either kept for rollback (blue, until the time green's `retire-previous-after` label
/// names) or *retired*: stopped, or past its keep time.
struct ObservedService: Sendable {
    let id: ResourceID
    let containers: [ContainerSummary]
    /// What an inspect of each running container found changed by hand, by container id. Only
    /// containers with a difference are listed.
    let drift: [String: [ContainerDifference]]
    /// Inspect results of the running containers, by id.
    let details: [String: ContainerDetails]
    /// When the observation was made (for keep times).
    let observedAt: Date

    init(
        id: ResourceID, containers: [ContainerSummary], details: [String: ContainerDetails] = [:],
        observedAt: Date = Date()
    ) {
        self.id = id
        self.containers = containers
        self.details = details
        self.observedAt = observedAt
        var drift: [String: [ContainerDifference]] = [:]
        for container in containers where container.isRunning {
            guard let inspected = details[container.id],
                let attributes = container.labels[DockerServiceProvider.Label.spec].flatMap(AttributeCoding.decode)
            else { continue }
            let differences = Self.handChanges(inspected, attributes: attributes)
            if !differences.isEmpty { drift[container.id] = differences }
        }
        self.drift = drift
    }

    var running: [ContainerSummary] { containers.filter(\.isRunning) }

    /// The running containers of the set created last (see the type's documentation).
    var active: [ContainerSummary] {
        var sets: [String: [ContainerSummary]] = [:]
        for container in running {
            sets[Self.setKey(container), default: []].append(container)
        }
        let newest = sets.max { lhs, rhs in
            let left = lhs.value.map(\.created).max() ?? .distantPast
            let right = rhs.value.map(\.created).max() ?? .distantPast
            return left == right ? lhs.key > rhs.key : left < right
        }
        return newest?.value ?? []
    }

    /// Containers that may go: stopped ones, and running ones outside the active set whose keep time
    /// is over (or that never had one, like the old replicas of an interrupted rolling update).
    var retired: [ContainerSummary] {
        let active = self.active
        let activeIDs = Set(active.map(\.id))
        let keepUntil = active.compactMap { container in
            container.labels[DockerServiceProvider.Label.retirePreviousAfter].flatMap(TimeInterval.init)
        }.min().map(Date.init(timeIntervalSince1970:))
        return containers.filter { container in
            if !container.isRunning { return true }
            if activeIDs.contains(container.id) { return false }
            guard let keepUntil else { return true }
            return observedAt >= keepUntil
        }
    }

    /// The active set's spec, with `replicas` = the number of distinct replica indexes in it and
    /// `retired` = the number of retired containers plus the active set's extra containers for an
    /// index present twice. A half-finished rollout therefore shows as too few replicas of one spec,
    /// a doubled replica as a container to retire, and the next apply finishes it. A hand change
    /// found by inspect shows as its field's live value.
    var attributes: Attributes {
        let active = self.active
        guard let first = active.first,
            var attributes = first.labels[DockerServiceProvider.Label.spec].flatMap(AttributeCoding.decode)
        else {
            // Nothing running (or no readable spec): only the counts are known.
            return ["replicas": .int(0), "retired": .int(retired.count)]
        }
        // What the daemon runs wins over what the label claims.
        attributes["image"] = .string(first.image)
        if let drifted = active.first(where: { drift[$0.id] != nil }), let inspected = details[drifted.id] {
            Self.applyLiveValues(inspected, to: &attributes)
        }
        let indexes = Set(active.map { replicaIndex($0) ?? -1 })
        attributes["replicas"] = .int(indexes.count)
        attributes["retired"] = .int(retired.count + active.count - indexes.count)
        return attributes
    }

    /// Containers changed by hand, with what changed, for messages.
    var driftSummary: String {
        drift.sorted { $0.key < $1.key }.map { id, differences in
            let name = containers.first { $0.id == id }?.name ?? String(id.prefix(12))
            return "\(name): " + differences.map(\.description).joined(separator: "; ")
        }.joined(separator: "\n")
    }

    func replicaIndex(_ container: ContainerSummary) -> Int? {
        container.labels[DockerServiceProvider.Label.replica].flatMap(Int.init)
    }

    func slot(_ container: ContainerSummary) -> Int {
        container.labels[DockerServiceProvider.Label.slot].flatMap(Int.init) ?? 0
    }

    static func setKey(_ container: ContainerSummary) -> String {
        (container.labels[DockerServiceProvider.Label.slot] ?? "0") + "|"
            + (container.labels[DockerServiceProvider.Label.spec] ?? "")
    }
}

extension ObservedService {
    /// The differences between a live container and the spec label it was created from, in the
    /// fields a hand change can reach without recreating the container (`docker update`): memory,
    /// CPUs and restart policy. Everything else is fixed at creation and covered by the label.
    static func handChanges(_ details: ContainerDetails, attributes: Attributes) -> [ContainerDifference] {
        var expected = details.spec
        var memory: Int?
        var cpus: Int?
        if case .map(let limits)? = attributes["resources"] {
            if case .int(let bytes)? = limits["memory"] { memory = bytes }
            if case .string(let text)? = limits["cpus"], let value = Double(text) {
                cpus = DockerServiceSpec.nanoCPUs(value)
            }
        }
        expected.memoryBytes = memory
        expected.nanoCPUs = cpus
        if case .string(let restart)? = attributes["restart"], let policy = dockerRestartPolicy(restart) {
            expected.restartPolicy = policy
        }
        return details.differences(from: expected, image: nil)
    }

    /// `unlessStopped`, `onFailure:3` (the attribute spelling) as Docker's policy.
    static func dockerRestartPolicy(_ text: String) -> ShipshapeDocker.RestartPolicy? {
        switch text {
        case "never": return ShipshapeDocker.RestartPolicy.no
        case "always": return .always
        case "unlessStopped": return .unlessStopped
        case "onFailure": return .onFailure(maxRetries: 0)
        default:
            guard text.hasPrefix("onFailure:"), let retries = Int(text.dropFirst("onFailure:".count)) else { return nil }
            return .onFailure(maxRetries: retries)
        }
    }

    /// Puts the live memory, CPU and restart values of `details` into `attributes`.
    static func applyLiveValues(_ details: ContainerDetails, to attributes: inout Attributes) {
        var limits: [String: AttributeValue] = [:]
        if let memory = details.spec.memoryBytes, memory > 0 { limits["memory"] = .int(memory) }
        if let nano = details.spec.nanoCPUs, nano > 0 {
            limits["cpus"] = .string(DockerServiceSpec.describe(cpus: Double(nano) / 1e9))
        }
        attributes["resources"] = limits.isEmpty ? nil : .map(limits)
        let restart: String =
            switch details.spec.restartPolicy ?? .no {
            case .no: "never"
            case .always: "always"
            case .unlessStopped: "unlessStopped"
            case .onFailure(let retries): retries == 0 ? "onFailure" : "onFailure:\(retries)"
            }
        attributes["restart"] = .string(restart)
    }
}
