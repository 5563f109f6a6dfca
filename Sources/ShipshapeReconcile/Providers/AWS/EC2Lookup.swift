import ShipshapeAWS

/// The describe calls that find every target of an environment: one call for the resources carrying
/// the environment's ownership tags, one for those adopted by id (an id filter, which, unlike an id
/// list, does not fail when an id is gone), and one per adoption tag key. Each call is paginated.
enum EC2Lookup {
    static func fetch<Observed: Sendable>(
        _ targets: [EC2Locator],
        environment: String,
        idFilter: String,
        describe: @escaping @Sendable ([EC2Filter]) async throws -> [Observed]
    ) async throws -> [Observed] {
        var queries: [[EC2Filter]] = [
            [.tag(Ownership.environmentKey, environment), .tag(Ownership.managedByKey, Ownership.managedByValue)]
        ]
        var ids: Set<String> = []
        var tagValues: [String: Set<String>] = [:]
        for locator in targets {
            switch locator {
            case .owned: break
            case .id(let id): ids.insert(id)
            case .tag(let key, let value): tagValues[key, default: []].insert(value)
            }
        }
        if !ids.isEmpty { queries.append([EC2Filter(idFilter, ids.sorted())]) }
        for (key, values) in tagValues.sorted(by: { $0.key < $1.key }) {
            queries.append([EC2Filter("tag:\(key)", values.sorted())])
        }
        return try await withThrowingTaskGroup(of: [Observed].self) { group in
            for filters in queries {
                group.addTask { try await describe(filters) }
            }
            var all: [Observed] = []
            for try await part in group { all += part }
            return all
        }
    }
}
