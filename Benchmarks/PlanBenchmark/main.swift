// Plan computation benchmark: 10,000 resources with 1% drift, pure CPU (no I/O).
//
//   swift run -c release PlanBenchmark [resources] [rounds]
//
// Prints the median and range of the planner's time over the rounds and the process's peak RSS.
import Foundation
import ShipshapeReconcile

let count = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 10_000 : 10_000
let rounds = CommandLine.arguments.count > 2 ? Int(CommandLine.arguments[2]) ?? 20 : 20
let kinds: [ResourceKind] = [.securityGroup, .instance, .database, .service, .ecsService]

var desired: [DesiredResource] = []
var live: [ResourceID: LiveResource] = [:]
desired.reserveCapacity(count)
for index in 0..<count {
    let id = ResourceID(kinds[index % kinds.count], "resource-\(index)")
    let attributes: Attributes = [
        "image": .string("registry.example/app-\(index % 50):1.\(index % 7).0"),
        "replicas": .int(index % 5 + 1),
        "ports": .list([.string("127.0.0.1:\(10_000 + index % 50_000):8080/tcp")]),
        "env": .map(["MODE": .string("prod"), "SHARD": .int(index % 16)]),
        "tags": .map(["team": .string("community"), "index": .int(index)]),
    ]
    desired.append(
        DesiredResource(id: id, attributes: attributes, fieldEffects: ["image": .replace], payload: index))
    var observed = attributes
    if index % 100 == 0 { observed["replicas"] = .int(0) }  // 1% drift
    live[id] = LiveResource(id: id, attributes: observed, owned: true, payload: index)
}

var times: [Duration] = []
var changes = 0
for _ in 0..<rounds {
    let start = ContinuousClock.now
    let plan = Planner.plan(desired: desired, live: live, inputs: .init(environment: "bench", revision: "r"))
    times.append(ContinuousClock.now - start)
    changes = plan.changes.count
}
times.sort()
var usage = rusage()
getrusage(RUSAGE_SELF.rawValue, &usage)
print(
    "plan of \(count) resources (\(changes) changes): median \(times[times.count / 2]), min \(times.first!), max \(times.last!) over \(rounds) rounds; peak RSS \(usage.ru_maxrss / 1024) MiB"
)
