import Foundation
import PlanModel
import Reconciler

/// What the gateway's answer to a probe says about the application and one API.
enum ICICIProbeAnswer: Equatable {
    /// 401: the application or its key is missing or disabled.
    case keyRefused(String)
    /// 403: the API is not selected, or is on the other environment's plan.
    case notSelected(String)
    /// Anything else the gateway passed on (e.g. 400 `8017` for the empty envelope): the API is reachable.
    case through(String)
    /// 404 or a server error: the probe cannot tell.
    case undecided(String)

    init(status: Int, code: String?, message: String?, path: String) {
        let words = [code.map { "code \($0)" }, message].compactMap { $0 }.joined(separator: ": ")
        let text = "POST \(path) answered HTTP \(status)" + (words.isEmpty ? "" : ", \(words)")
        switch status {
        case 401: self = .keyRefused(text)
        case 403: self = .notSelected(text)
        case 404, 500...599: self = .undecided(text + "; check the API's probe path")
        default: self = .through(text)
        }
    }
}

/// Applications: portal steps, verified by probe. For each API the application selects, its path is called with
/// the application's `apikey` and an empty envelope `{}` (nothing can execute); 401 means the key is missing or
/// disabled, 403 that the API is not selected on this environment's plan. Name, platform and callback URL are for
/// `provision confirm`.
struct ICICIApplications: Probing {
    let client: ICICIClient

    func probe(_ resource: Resource, known: RemoteIDs) async throws -> [ProbedPart] {
        let probes = Self.probePaths(resource)
        var parts: [ProbedPart] = []
        var refused: String?
        var accepted: String?
        for api in Self.apis(of: resource) {
            guard let path = probes[api] ?? ICICICatalogue.paths[api] else {
                parts.append(ProbedPart("API \(api)", .needsConfirmation(reason: "no probe path is known for \(api); add it under probes:")))
                continue
            }
            if refused != nil {
                parts.append(ProbedPart("API \(api)", .missing(reason: "not probed: the application's key was refused")))
                continue
            }
            switch try await send(path) {
            case .keyRefused(let text):
                refused = text
                parts.append(ProbedPart("API \(api)", .missing(reason: "not probed: the application's key was refused")))
            case .notSelected(let text):
                accepted = accepted ?? text
                parts.append(ProbedPart("API \(api)", .missing(reason: text)))
            case .through(let text):
                accepted = accepted ?? text
                parts.append(ProbedPart("API \(api)", .verified(evidence: "\(text) (\(Self.plan(of: resource)) plan)")))
            case .undecided(let text):
                parts.append(ProbedPart("API \(api)", .needsConfirmation(reason: text)))
            }
        }
        return [application(resource, refused: refused, accepted: accepted)] + parts + [unprobed(resource)]
    }

    /// The probe call: `{}` with the `apikey` header, unencrypted; a failure to reach the gateway throws.
    func send(_ path: String) async throws -> ICICIProbeAnswer {
        do {
            let reply = try await client.plain.send("POST", path, headers: client.headers(), body: Array("{}".utf8))
            return .through("POST \(path) answered HTTP \(reply.status)")
        } catch let error as ProviderError where error.failure == .rejected {
            return ICICIProbeAnswer(status: error.status ?? 0, code: error.code, message: error.message, path: path)
        }
    }

    func application(_ resource: Resource, refused: String?, accepted: String?) -> ProbedPart {
        let part = "application \(resource.attributes["name"]?.displayText ?? resource.address.name ?? "") (its api_key)"
        if let refused { return ProbedPart(part, .missing(reason: refused)) }
        if let accepted { return ProbedPart(part, .verified(evidence: "the gateway knew its key: \(accepted)")) }
        return ProbedPart(part, .needsConfirmation(reason: "no API could be probed"))
    }

    /// What no probe can see: the application's name, platform and callback URL.
    func unprobed(_ resource: Resource) -> ProbedPart {
        var fields = ["name \(resource.attributes["name"]?.displayText ?? "")", "platform \(resource.attributes["platform"]?.displayText ?? "")"]
        if let callback = resource.attributes["callback_url"]?.displayText { fields.append("callback URL \(callback)") }
        return ProbedPart(fields.joined(separator: ", "), .needsConfirmation(reason: "no probe can see the application's details"))
    }

    static func apis(of resource: Resource) -> [String] {
        guard case .list(let items)? = resource.attributes["apis"] else { return [] }
        return items.map(\.revealedText)
    }

    static func plan(of resource: Resource) -> String {
        resource.attributes["api_plan"]?.revealedText ?? "Sandbox"
    }

    /// API name → probe path, from the application's `probes:`.
    static func probePaths(_ resource: Resource) -> [String: String] {
        guard case .list(let items)? = resource.attributes["probes"] else { return [:] }
        var paths: [String: String] = [:]
        for item in items {
            guard case .object(let fields) = item, let api = fields["api"]?.revealedText, let path = fields["path"]?.revealedText else { continue }
            paths[api] = path
        }
        return paths
    }
}
