import Foundation
import PlanModel
import Reconciler

/// One subscription of an application, as the manifest declares it.
struct VietinBankSubscription: Sendable {
    var api: String
    var plan: String
    var probe: String?
    var rateLimit: String?

    static func all(of resource: Resource) -> [VietinBankSubscription] {
        guard case .list(let items)? = resource.attributes["subscriptions"] else { return [] }
        return items.compactMap { item in
            guard case .object(let fields) = item, let api = fields["api"]?.revealedText else { return nil }
            return VietinBankSubscription(
                api: api, plan: fields["plan"]?.revealedText ?? "", probe: fields["probe"]?.revealedText,
                rateLimit: fields["rate_limit"]?.revealedText)
        }
    }

    /// `100/minute` as a limiter releasing 100 calls a minute, evenly.
    var limiter: RateLimiter? {
        guard let rateLimit, let slash = rateLimit.firstIndex(of: "/"), let count = Int(rateLimit[..<slash]) else { return nil }
        let seconds: Int64 = switch rateLimit[rateLimit.index(after: slash)...] {
        case "second": 1
        case "minute": 60
        case "hour": 3600
        default: 86400
        }
        return RateLimiter(requests: count, per: .seconds(seconds))
    }
}

/// The subscriptions the manifest's applications declare, handed over by the engine with every call.
struct VietinBankSubscriptions: Sendable {
    let all: [VietinBankSubscription]

    init(_ known: RemoteIDs) {
        all = known.resources.all.filter { $0.address.kind == "applications" }.sorted { $0.address < $1.address }
            .flatMap(VietinBankSubscription.all(of:))
    }

    /// The API a probe's path was declared for, else the catalogue's.
    func api(ofProbe path: String) -> String? {
        all.first { $0.probe == path }?.api ?? VietinBankCatalogue.api(of: path)
    }

    /// The first rate limit declared for the API.
    func rateLimit(of api: String) -> VietinBankSubscription? {
        all.first { $0.api == api && $0.limiter != nil }
    }
}

/// One token bucket per API whose plan declares a rate limit, shared by every call of the run.
///
/// Invariant: holds only the buckets' timing; which API has which limit comes with each call from the manifest.
actor VietinBankPlanLimits {
    var limiters: [String: RateLimiter] = [:]

    /// Waits for the API's plan limit, when one of `subscriptions` declares one.
    func acquire(api: String?, declared subscriptions: VietinBankSubscriptions) async {
        guard let api else { return }
        if limiters[api] == nil, let limiter = subscriptions.rateLimit(of: api)?.limiter { limiters[api] = limiter }
        guard let limiter = limiters[api] else { return }
        try? await limiter.acquire()
    }
}

/// What the gateway's answer to a probe says about an application and one subscription.
enum VietinBankProbeAnswer {
    /// 401 "Invalid client id or secret": the application, or its credentials, are missing.
    case credentialsRefused(String)
    /// Another 401 or 403: the application exists but is not subscribed to the API.
    case notSubscribed(String)
    /// Any other answer (2xx, a business error, 400, 415, 429): the gateway let the application through.
    case through(String)
    /// 404 or a server error: the probe cannot tell.
    case undecided(String)

    init(_ error: ProviderError, path: String) {
        let status = error.status ?? 0
        let words = [error.code.map { "code \($0)" }, error.message].compactMap { $0 }.joined(separator: ": ")
        let text = "POST \(path) answered HTTP \(status)" + (words.isEmpty ? "" : ", \(words)")
        switch status {
        case 401 where (error.message ?? "").lowercased().contains("invalid client id or secret"): self = .credentialsRefused(text)
        case 401, 403: self = .notSubscribed(text)
        case 404, 500...599: self = .undecided(text + "; check the subscription's probe path")
        default: self = .through(text)
        }
    }
}

/// Applications: portal steps, verified by probe. Each subscription's probe operation is called with the
/// application's credentials and an empty, unsigned body (nothing can execute); the gateway's answer says whether
/// the application and the subscription exist. Plans and the callback URL are for `provision confirm`.
struct VietinBankApplications: Probing {
    let client: VietinBankClient

    func probe(_ resource: Resource, known: RemoteIDs) async throws -> [ProbedPart] {
        let subscriptions = VietinBankSubscription.all(of: resource)
        var answers: [(VietinBankSubscription, VietinBankProbeAnswer?)] = []
        var refused: String?
        for subscription in subscriptions {
            guard refused == nil, let path = subscription.probe ?? VietinBankCatalogue.defaultProbe(subscription.api) else {
                answers.append((subscription, nil))
                continue
            }
            let answer = try await send(path, declared: VietinBankSubscriptions(known))
            if case .credentialsRefused(let text) = answer { refused = text }
            answers.append((subscription, answer))
        }
        let name = resource.attributes["name"]?.displayText ?? resource.address.name ?? ""
        var parts = [application(name, answers: answers.compactMap(\.1), refused: refused)]
        parts += answers.map { subscriptionPart($0.0, $0.1, refused: refused) }
        parts += unprobed(resource, subscriptions)
        return parts
    }

    /// The probe call: `{}` with the gateway headers; its answer, or a thrown error when the gateway was not reached.
    func send(_ path: String, declared: VietinBankSubscriptions) async throws -> VietinBankProbeAnswer {
        await client.limits.acquire(api: declared.api(ofProbe: path), declared: declared)
        do {
            let reply = try await client.plain.send("POST", path, headers: client.headers(), body: Array("{}".utf8))
            return .through("POST \(path) answered HTTP \(reply.status)")
        } catch let error as ProviderError where error.failure == .rejected {
            return VietinBankProbeAnswer(error, path: path)
        }
    }

    func application(_ name: String, answers: [VietinBankProbeAnswer], refused: String?) -> ProbedPart {
        let part = "application \(name) (client id \(client.settings.clientID))"
        if let refused { return ProbedPart(part, .missing(reason: refused)) }
        for answer in answers {
            switch answer {
            case .through(let text), .notSubscribed(let text): return ProbedPart(part, .verified(evidence: "the gateway knew its credentials: \(text)"))
            case .credentialsRefused, .undecided: continue
            }
        }
        return ProbedPart(part, .needsConfirmation(reason: "no subscription could be probed"))
    }

    func subscriptionPart(_ subscription: VietinBankSubscription, _ answer: VietinBankProbeAnswer?, refused: String?) -> ProbedPart {
        let part = "subscription \(subscription.api)"
        switch answer {
        case .through(let text)?: return ProbedPart(part, .verified(evidence: text))
        case .notSubscribed(let text)?: return ProbedPart(part, .missing(reason: text))
        case .undecided(let text)?: return ProbedPart(part, .needsConfirmation(reason: text))
        case .credentialsRefused?: return ProbedPart(part, .missing(reason: "not probed: the application's credentials were refused"))
        case nil where refused != nil: return ProbedPart(part, .missing(reason: "not probed: the application's credentials were refused"))
        case nil:
            return ProbedPart(part, .needsConfirmation(reason: "no read-only operation is known for API \(subscription.api); set probe: on the subscription"))
        }
    }

    /// What no probe can see: the plan chosen for each subscription and the callback URL.
    func unprobed(_ resource: Resource, _ subscriptions: [VietinBankSubscription]) -> [ProbedPart] {
        var parts: [ProbedPart] = []
        if !subscriptions.isEmpty {
            let plans = subscriptions.map { "\($0.api) \($0.plan)" }.joined(separator: ", ")
            parts.append(ProbedPart("plans (\(plans))", .needsConfirmation(reason: "no probe can see which plan was chosen")))
        }
        if let callback = resource.attributes["callback_url"]?.displayText {
            parts.append(ProbedPart("callback URL \(callback)", .needsConfirmation(reason: "no probe can see the registered callback URL")))
        }
        return parts
    }
}
