/// The tags/labels every resource Shipshape creates carries. Pruning and drift correction touch only
/// resources that carry them.
public enum Ownership {
    public static let managedByKey = "shipshape.io/managed-by"
    public static let managedByValue = "shipshape"
    public static let environmentKey = "shipshape.io/environment"
    public static let resourceKey = "shipshape.io/resource"

    /// The three ownership labels for `resource` of `environment`.
    public static func labels(environment: String, resource: ResourceID) -> [String: String] {
        [
            managedByKey: managedByValue,
            environmentKey: environment,
            resourceKey: resource.description,
        ]
    }

    /// True when `labels` say Shipshape manages the resource for `environment`.
    public static func isOwned(_ labels: [String: String], environment: String) -> Bool {
        labels[managedByKey] == managedByValue && labels[environmentKey] == environment
    }
}
