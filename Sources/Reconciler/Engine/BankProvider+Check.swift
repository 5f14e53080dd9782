import PlanModel

extension BankProvider: ProviderChecking {
    public var checking: (any ProviderChecking)? { self }

    /// The bank's own findings (client first, then kind handlers, in the registry's order), then what the probes of
    /// its manual kinds show: a verified part is ok, a missing one failed. What no probe can see is left to `plan`.
    public func check(_ context: CheckContext) async -> [CheckFinding] {
        var findings: [CheckFinding] = []
        for check in checks { findings += await check.check(context) }
        return findings + (await probes(context))
    }

    public var clockWindow: Duration? { checks.compactMap(\.clockWindow).max() }

    func probes(_ context: CheckContext) async -> [CheckFinding] {
        let known = RemoteIDs(resources: ResourceIndex(context.resources))
        var findings: [CheckFinding] = []
        for kind in LiveMatcher.refreshOrder(schema.kinds) {
            guard let probing = handlers[kind.name] as? any Probing else { continue }
            for resource in context.resources(of: kind.name) {
                do {
                    findings += try await probing.probe(resource, known: known).compactMap { Self.finding($0, of: resource) }
                } catch {
                    findings.append(.failed("\(resource.address) probe", "\(error)", fix: "Check the endpoint and the network; then run provision check again."))
                }
            }
        }
        return findings
    }

    static func finding(_ part: ProbedPart, of resource: Resource) -> CheckFinding? {
        let address = resource.address
        let subject = "\(address.kind)\(address.name.map { ".\($0)" } ?? ""): \(part.part)"
        switch part.outcome {
        case .verified(let evidence): return .ok(subject, evidence)
        case .missing(let reason):
            return .failed(subject, reason, fix: "Do the portal steps provision plan lists for \(resource.address), then run provision check again.")
        case .needsConfirmation: return nil
        }
    }
}
