import Foundation

/// An RDS DB instance as DescribeDBInstances reports it.
public struct RDSDBInstance: Sendable, Hashable {
    /// Changes RDS holds for the next maintenance window (or is applying).
    public struct PendingModifiedValues: Sendable, Hashable {
        public var dbInstanceClass: String?
        public var allocatedStorage: Int?
        public var storageType: String?
        public var iops: Int?
        public var engineVersion: String?
        public var multiAZ: Bool?
        public var isEmpty: Bool {
            dbInstanceClass == nil && allocatedStorage == nil && storageType == nil && iops == nil && engineVersion == nil
                && multiAZ == nil
        }
    }
    public var identifier: String
    public var arn: String?
    public var dbInstanceClass: String
    public var engine: String
    public var engineVersion: String?
    public var status: String
    public var allocatedStorage: Int?
    public var storageType: String?
    public var multiAZ: Bool
    public var pendingModifiedValues: PendingModifiedValues

    init(xml: XMLElementNode) {
        identifier = xml.string("DBInstanceIdentifier") ?? ""
        arn = xml.string("DBInstanceArn")
        dbInstanceClass = xml.string("DBInstanceClass") ?? ""
        engine = xml.string("Engine") ?? ""
        engineVersion = xml.string("EngineVersion")
        status = xml.string("DBInstanceStatus") ?? ""
        allocatedStorage = xml.string("AllocatedStorage").flatMap { Int($0) }
        storageType = xml.string("StorageType")
        multiAZ = xml.string("MultiAZ") == "true"
        let pending = xml["PendingModifiedValues"]
        pendingModifiedValues = PendingModifiedValues(
            dbInstanceClass: pending?.string("DBInstanceClass"),
            allocatedStorage: pending?.string("AllocatedStorage").flatMap { Int($0) },
            storageType: pending?.string("StorageType"), iops: pending?.string("Iops").flatMap { Int($0) },
            engineVersion: pending?.string("EngineVersion"), multiAZ: pending?.string("MultiAZ").map { $0 == "true" })
    }
}

/// A change to an RDS DB instance (only the fields set are sent).
public struct RDSModification: Sendable, Hashable {
    public var dbInstanceClass: String?
    public var allocatedStorage: Int?
    public var storageType: String?
    public var iops: Int?
    /// Apply now (`true`) or in the next maintenance window (`false`).
    public var applyImmediately: Bool

    public init(
        dbInstanceClass: String? = nil, allocatedStorage: Int? = nil, storageType: String? = nil, iops: Int? = nil,
        applyImmediately: Bool
    ) {
        self.dbInstanceClass = dbInstanceClass
        self.allocatedStorage = allocatedStorage
        self.storageType = storageType
        self.iops = iops
        self.applyImmediately = applyImmediately
    }
}

/// RDS: DB instances (awsquery protocol).
public struct RDSClient: Sendable {
    public let client: AWSClient
    public init(client: AWSClient) { self.client = client }

    /// DB instances: one by identifier, or all of them (following `Marker` pages of 100).
    public func describeDBInstances(identifier: String? = nil) async throws -> [RDSDBInstance] {
        try await paginate(.rdsDescribeDBInstances) { marker in
            var parameters = QueryParameters()
            parameters.add("DBInstanceIdentifier", identifier)
            if identifier == nil { parameters.add("MaxRecords", 100) }
            parameters.add("Marker", marker)
            let result = try await client.awsQueryResult(.rdsDescribeDBInstances, parameters)
            return (result.list("DBInstances", item: "DBInstance").map(RDSDBInstance.init(xml:)), result.string("Marker"))
        }
    }

    /// Modifies `identifier`; returns the instance as RDS reports it afterwards (pending values included).
    @discardableResult
    public func modifyDBInstance(_ identifier: String, _ modification: RDSModification) async throws -> RDSDBInstance {
        var parameters = QueryParameters()
        parameters.add("DBInstanceIdentifier", identifier)
        parameters.add("DBInstanceClass", modification.dbInstanceClass)
        parameters.add("AllocatedStorage", modification.allocatedStorage)
        parameters.add("StorageType", modification.storageType)
        parameters.add("Iops", modification.iops)
        parameters.add("ApplyImmediately", modification.applyImmediately)
        let result = try await client.awsQueryResult(.rdsModifyDBInstance, parameters)
        guard let instance = result["DBInstance"] else {
            throw AWSError(
                code: AWSError.Code.malformedResponse.rawValue, message: "ModifyDBInstance for \(identifier) returned no DBInstance",
                service: "rds", operation: "ModifyDBInstance", classification: .client)
        }
        return RDSDBInstance(xml: instance)
    }
}
