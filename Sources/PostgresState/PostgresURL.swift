import Foundation
import PlanModel

/// A `postgres://USER:PASSWORD@HOST:PORT/DATABASE?sslmode=...&schema=...` URL, read into its parts.
///
/// Invariant: the password is `Sensitive`; `description` (and so every message) leaves it out.
public struct PostgresURL: Sendable, CustomStringConvertible {
    public enum TLSMode: String, Sendable, CaseIterable {
        case disable, prefer, require
        case verifyFull = "verify-full"
    }

    public var user: String
    public var password: Sensitive?
    public var host: String
    public var port: Int
    public var database: String
    public var tls: TLSMode
    /// `?schema=`: the database schema for the tables, when the URL names one.
    public var schema: String?
    /// `?connect_timeout=` in seconds (default 10).
    public var connectTimeout = 10
    /// `?application_name=`, as the server's `pg_stat_activity` shows the session (default provision).
    public var applicationName = "provision"

    /// The query parameters understood; others are refused so a typo is not silently ignored.
    static let parameters = ["sslmode", "schema", "connect_timeout", "application_name"]

    /// True when `text` is meant as a database URL rather than a folder.
    public static func isDatabaseURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// Reads `text`; without a password in it, `PGPASSWORD` from `environment` is used.
    /// Errors name the part that is wrong, never the text itself (it may hold the password).
    public init(parsing text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(PostgresStateError) {
        guard Self.isDatabaseURL(text), let parts = URLComponents(string: text) else {
            throw .badURL(reason: "it is not a postgres://USER:PASSWORD@HOST:PORT/DATABASE URL (check for spaces, and percent-encode @ : / in the password)")
        }
        guard let host = parts.host, !host.isEmpty else { throw .badURL(reason: "it names no host") }
        guard let user = parts.user, !user.isEmpty else { throw .badURL(reason: "it names no user (write postgres://USER@HOST/DATABASE)") }
        self.user = user
        self.host = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        self.port = parts.port ?? 5432
        let path = parts.path.hasPrefix("/") ? String(parts.path.dropFirst()) : parts.path
        self.database = path.isEmpty ? user : path
        self.password = (parts.password ?? environment["PGPASSWORD"]).map(Sensitive.init)
        tls = .prefer
        for item in parts.queryItems ?? [] {
            try read(item.name, item.value ?? "")
        }
    }

    /// Takes one query parameter's value.
    mutating func read(_ name: String, _ value: String) throws(PostgresStateError) {
        switch name {
        case "sslmode":
            guard let mode = TLSMode(rawValue: value) else {
                throw .badURL(reason: "sslmode must be one of \(TLSMode.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            tls = mode
        case "connect_timeout":
            guard let seconds = Int(value), seconds > 0 else { throw .badURL(reason: "connect_timeout must be a whole number of seconds") }
            connectTimeout = seconds
        case "application_name":
            applicationName = value
        case "schema":
            schema = value
        default:
            throw .badURL(reason: "unknown parameter \(name); known: \(Self.parameters.joined(separator: ", "))")
        }
    }

    /// The URL without its password or parameters, for messages.
    public var description: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "postgres://\(user)@\(shownHost):\(port)/\(database)"
    }
}
