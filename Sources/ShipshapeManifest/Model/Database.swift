/// An RDS DB instance.
public struct Database: Sendable, Hashable {
    /// DB engines the format accepts.
    public enum Engine: String, Sendable, Hashable, CaseIterable {
        /// PostgreSQL.
        case postgres
        /// MySQL.
        case mysql
        /// MariaDB.
        case mariadb
        /// Aurora PostgreSQL.
        case auroraPostgresql = "aurora-postgresql"
        /// Aurora MySQL.
        case auroraMysql = "aurora-mysql"
    }

    /// The key under `databases:`; also the DB instance identifier.
    public var name: String
    /// DB instance class (`db.t3.micro`).
    public var instanceClass: String
    /// Engine.
    public var engine: Engine
    /// Engine version (`15.4`); nil lets RDS pick its default.
    public var engineVersion: String?
    /// Allocated storage in GiB (20–65536, default 20).
    public var storageGiB: Int
    /// Apply modifications now instead of in the maintenance window (default false).
    public var applyImmediately: Bool
    /// Weekly maintenance window in UTC.
    public var maintenanceWindow: WeeklyWindow?
    /// Multi-AZ deployment (default false).
    public var multiAZ: Bool
    /// Security groups, by their names under `securityGroups:` of the same environment.
    public var securityGroups: [String]
    /// Master user name (needed to create, not to adopt).
    public var masterUsername: String?
    /// Where the master password lives (needed to create, not to adopt).
    public var masterPassword: SecretReference?
    /// When set, an existing DB instance is adopted (by identifier) instead of created.
    public var adopt: Adoption?

    /// Creates a database.
    public init(
        name: String,
        instanceClass: String,
        engine: Engine,
        engineVersion: String? = nil,
        storageGiB: Int = 20,
        applyImmediately: Bool = false,
        maintenanceWindow: WeeklyWindow? = nil,
        multiAZ: Bool = false,
        securityGroups: [String] = [],
        masterUsername: String? = nil,
        masterPassword: SecretReference? = nil,
        adopt: Adoption? = nil
    ) {
        self.name = name
        self.instanceClass = instanceClass
        self.engine = engine
        self.engineVersion = engineVersion
        self.storageGiB = storageGiB
        self.applyImmediately = applyImmediately
        self.maintenanceWindow = maintenanceWindow
        self.multiAZ = multiAZ
        self.securityGroups = securityGroups
        self.masterUsername = masterUsername
        self.masterPassword = masterPassword
        self.adopt = adopt
    }
}
