import PostgresNIO

/// A failure of the PostgreSQL state backend: what, where, and how to fix it.
///
/// Invariant: no case holds the password; `location` is always a URL without it.
public enum PostgresStateError: Error, Sendable, CustomStringConvertible {
    /// The URL cannot be read; `reason` names the part, never the text.
    case badURL(reason: String)
    case unreachable(location: String, reason: String)
    /// The server refused a statement: its message and SQLSTATE.
    case refused(location: String, doing: String, reason: String)
    case unreadableState(location: String, serial: Int, reason: String)
    /// The session holding the lock was lost (connection dropped): the server released the lock.
    case lockLost(location: String)

    public var description: String {
        switch self {
        case .badURL(let reason):
            return "The state database URL cannot be used: \(reason). Write postgres://USER:PASSWORD@HOST:PORT/DATABASE, best as url: ${env:PROVISION_PG_URL} under backend:."
        case .unreachable(let location, let reason):
            return "Cannot connect to the state database \(location): \(reason). Check that the server is up and reachable, and the user, password and database in the URL."
        case .refused(let location, let doing, let reason):
            return "The state database \(location) refused to \(doing): \(reason). Check that the user may create and write tables in the schema."
        case .unreadableState(let location, let serial, let reason):
            return "Cannot read state serial \(serial) from \(location): \(reason). `provision state history` lists the versions kept; see docs/state.md (recovery) to restore an earlier one."
        case .lockLost(let location):
            return "The connection holding the state lock at \(location) was lost, so the server released the lock; this run stopped writing. Run the command again."
        }
    }

    /// True for a session the server ended (SQLSTATE class 57: administrator command, shutdown) or a closed connection.
    static func endsSession(_ error: any Error) -> Bool {
        if error is ConnectionClosed { return true }
        guard let error = error as? PSQLError else { return false }
        if error.serverInfo?[.sqlState]?.hasPrefix("57") == true { return true }
        return [.serverClosedConnection, .clientClosedConnection, .uncleanShutdown].contains(error.code)
    }

    /// Wraps a PostgresNIO error: the server's message and SQLSTATE, or what happened to the connection.
    static func from(_ error: any Error, location: String, doing: String) -> PostgresStateError {
        if let error = error as? PostgresStateError { return error }
        if error is ConnectionClosed { return .unreachable(location: location, reason: "the connection was closed") }
        guard let error = error as? PSQLError else { return .refused(location: location, doing: doing, reason: "\(error)") }
        if let message = error.serverInfo?[.message] {
            let state = error.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
            return .refused(location: location, doing: doing, reason: message + state)
        }
        switch error.code {
        case .serverClosedConnection, .clientClosedConnection, .uncleanShutdown:
            return .unreachable(location: location, reason: "the connection was closed")
        case .connectionError:
            return .unreachable(location: location, reason: error.underlying.map { "\($0)" } ?? "the connection failed")
        default:
            return .refused(location: location, doing: doing, reason: error.code.description)
        }
    }
}
