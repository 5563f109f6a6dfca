import Foundation

/// A condition on a DynamoDB write: the expression and its placeholders.
public struct DynamoDBCondition: Sendable, Hashable {
    public var expression: String
    public var names: [String: String]
    public var values: DynamoDBItem

    public init(_ expression: String, names: [String: String] = [:], values: DynamoDBItem = [:]) {
        self.expression = expression
        self.names = names
        self.values = values
    }
}

/// DynamoDB: the item calls the controller's leases need, and CreateTable for setting them up.
/// A failed condition throws `AWSError` with code `ConditionalCheckFailedException`.
public struct DynamoDBClient: Sendable {
    public let client: AWSClient
    public init(client: AWSClient) { self.client = client }

    private struct ItemOutput: Decodable { var Item: DynamoDBItem? }
    private struct Attributes: Decodable { var Attributes: DynamoDBItem? }

    /// The item with `key`, or nil.
    public func getItem(table: String, key: DynamoDBItem, consistentRead: Bool = true) async throws -> DynamoDBItem? {
        struct Input: Encodable {
            var TableName: String
            var Key: DynamoDBItem
            var ConsistentRead: Bool
        }
        return try await client.json(
            .dynamodbGetItem, Input(TableName: table, Key: key, ConsistentRead: consistentRead), as: ItemOutput.self
        ).Item
    }

    /// Writes `item`, if `condition` (when given) holds.
    public func putItem(table: String, item: DynamoDBItem, condition: DynamoDBCondition? = nil) async throws {
        struct Input: Encodable {
            var TableName: String
            var Item: DynamoDBItem
            var ConditionExpression: String?
            var ExpressionAttributeNames: [String: String]?
            var ExpressionAttributeValues: DynamoDBItem?
        }
        _ = try await client.json(
            .dynamodbPutItem,
            Input(
                TableName: table, Item: item, ConditionExpression: condition?.expression,
                ExpressionAttributeNames: condition.flatMap { $0.names.isEmpty ? nil : $0.names },
                ExpressionAttributeValues: condition.flatMap { $0.values.isEmpty ? nil : $0.values }),
            as: EmptyJSON.self)
    }

    /// Applies `update` (an UpdateExpression) to the item with `key`, if `condition` holds; returns the
    /// item's new attributes. Placeholders of both expressions share `names` and `values`.
    @discardableResult
    public func updateItem(
        table: String, key: DynamoDBItem, update: String, condition: String? = nil, names: [String: String] = [:],
        values: DynamoDBItem = [:]
    ) async throws -> DynamoDBItem {
        struct Input: Encodable {
            var TableName: String
            var Key: DynamoDBItem
            var UpdateExpression: String
            var ConditionExpression: String?
            var ExpressionAttributeNames: [String: String]?
            var ExpressionAttributeValues: DynamoDBItem?
            var ReturnValues: String
        }
        return try await client.json(
            .dynamodbUpdateItem,
            Input(
                TableName: table, Key: key, UpdateExpression: update, ConditionExpression: condition,
                ExpressionAttributeNames: names.isEmpty ? nil : names, ExpressionAttributeValues: values.isEmpty ? nil : values,
                ReturnValues: "ALL_NEW"),
            as: Attributes.self
        ).Attributes ?? [:]
    }

    /// Deletes the item with `key`, if `condition` (when given) holds.
    public func deleteItem(table: String, key: DynamoDBItem, condition: DynamoDBCondition? = nil) async throws {
        struct Input: Encodable {
            var TableName: String
            var Key: DynamoDBItem
            var ConditionExpression: String?
            var ExpressionAttributeNames: [String: String]?
            var ExpressionAttributeValues: DynamoDBItem?
        }
        _ = try await client.json(
            .dynamodbDeleteItem,
            Input(
                TableName: table, Key: key, ConditionExpression: condition?.expression,
                ExpressionAttributeNames: condition.flatMap { $0.names.isEmpty ? nil : $0.names },
                ExpressionAttributeValues: condition.flatMap { $0.values.isEmpty ? nil : $0.values }),
            as: EmptyJSON.self)
    }

    /// Creates an on-demand table with a string hash key `hashKey` (leases, tests). An existing
    /// table fails with `ResourceInUseException`.
    public func createTable(_ table: String, hashKey: String) async throws {
        struct Definition: Encodable {
            var AttributeName: String
            var AttributeType: String
        }
        struct KeyElement: Encodable {
            var AttributeName: String
            var KeyType: String
        }
        struct Input: Encodable {
            var TableName: String
            var AttributeDefinitions: [Definition]
            var KeySchema: [KeyElement]
            var BillingMode: String
        }
        _ = try await client.json(
            .dynamodbCreateTable,
            Input(
                TableName: table, AttributeDefinitions: [Definition(AttributeName: hashKey, AttributeType: "S")],
                KeySchema: [KeyElement(AttributeName: hashKey, KeyType: "HASH")], BillingMode: "PAY_PER_REQUEST"),
            as: EmptyJSON.self)
    }

    /// The table's status (`CREATING`, `ACTIVE`, …).
    public func tableStatus(_ table: String) async throws -> String {
        struct Input: Encodable { var TableName: String }
        struct Output: Decodable {
            struct Table: Decodable { var TableStatus: String? }
            var Table: Table?
        }
        return try await client.json(.dynamodbDescribeTable, Input(TableName: table), as: Output.self).Table?.TableStatus ?? ""
    }
}
