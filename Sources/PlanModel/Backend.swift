/// Where a manifest's state is kept: `backend:` at the top of the manifest.
///
/// Invariant: the URL is `Sensitive` (it may hold a password), so no message or output ever shows it.
public struct BackendConfig: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        /// A folder beside the manifest (`.provision/`), the default.
        case local
        /// A PostgreSQL database shared by everyone who plans and applies the manifest.
        case postgres
    }

    public var type: Kind
    /// The database's `postgres://` URL; only for `postgres`.
    public var url: Sensitive?
    /// The database schema holding the tables; nil for the default.
    public var schema: String?
    /// The name the state is kept under; nil for the manifest folder's name.
    public var name: String?
    public var location: SourceLocation

    public init(type: Kind, url: Sensitive? = nil, schema: String? = nil, name: String? = nil, location: SourceLocation) {
        self.type = type
        self.url = url
        self.schema = schema
        self.name = name
        self.location = location
    }

    /// The key at the top of the manifest.
    public static let key = "backend"
    /// The schema used when neither the manifest nor the URL names one.
    public static let defaultSchema = "provision"
    /// A PostgreSQL identifier the tool can use unquoted: lower case letters, digits and `_`, at most 63.
    public static let schemaPattern = (regex: "^[a-z_][a-z0-9_]{0,62}$", meaning: "lower-case letters, digits and _, starting with a letter or _, at most 63")

    /// What `backend:` accepts, for the parser, the JSON Schema and the reference.
    public static let attributes: [AttributeSchema] = [
        AttributeSchema("type", .enumeration(Kind.allCases.map(\.rawValue)), .required, example: "postgres",
                        summary: "local: a folder beside the manifest (the default without backend:); postgres: a PostgreSQL database shared by every machine that plans and applies"),
        AttributeSchema("url", .string, .optional, sensitive: true,
                        pattern: ("^postgres(ql)?://[^\\s/?#]+(/[^\\s?#]*)?(\\?\\S*)?$", "a postgres://USER:PASSWORD@HOST:PORT/DATABASE URL"),
                        example: "${env:PROVISION_PG_URL}",
                        summary: "postgres only, and required there: the database; `?sslmode=disable|prefer|require|verify-full` (default prefer); without a password in it, PGPASSWORD is used"),
        AttributeSchema("schema", .string, .optional, pattern: schemaPattern, example: "provision",
                        summary: "postgres only: the database schema for the tables, created when missing (default provision)"),
        AttributeSchema("name", .string, .optional, pattern: (ResourceAddress.namePattern, "a name: ASCII letters, digits, _ and -, starting with a letter or digit"),
                        example: "payments-bank-setup",
                        summary: "the name the state is kept under, one state per name and environment (default: the manifest folder's name)"),
    ]
}
