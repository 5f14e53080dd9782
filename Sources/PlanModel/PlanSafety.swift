/// octoDNS-style guard: a plan that changes too large a share of a provider's existing resources is refused.
public enum PlanSafety {
    /// One provider whose plan changes more than its threshold allows.
    public struct Violation: Sendable, Equatable, CustomStringConvertible {
        public var provider: String
        public var changing: Int
        public var existing: Int
        public var maxPercent: Int

        public init(provider: String, changing: Int, existing: Int, maxPercent: Int) {
            self.provider = provider
            self.changing = changing
            self.existing = existing
            self.maxPercent = maxPercent
        }

        public var description: String {
            let percent = existing == 0 ? 0 : (changing * 100 + existing / 2) / existing
            return "Provider \"\(provider)\": the plan would update, replace or delete \(changing) of its \(existing) existing managed resources (\(percent)%), more than max_change_percent \(maxPercent)%. Check the plan, then run again with --force, or raise max_change_percent for this provider."
        }
    }

    /// Existing managed resources are those not being created; changing ones are updated, replaced, deleted or forgotten.
    public static func violations(_ plan: Plan, manifest: Manifest, catalog: ProviderCatalog) -> [Violation] {
        manifest.providers.compactMap { provider in
            let settings = EngineSettings(provider.settings)
            let maxPercent = settings.maxChangePercent
            let minimum = settings.safetyMinimum
            var existing = 0
            var changing = 0
            for change in plan.changes where change.address.instance == provider.name
                && catalog.kind(change.address.kind, of: provider.type)?.capability == .managed {
                if change.action != .create { existing += 1 }
                if [.update, .replace, .delete, .forget].contains(change.action) { changing += 1 }
            }
            guard existing >= minimum, changing * 100 > existing * maxPercent else { return nil }
            return Violation(provider: provider.name, changing: changing, existing: existing, maxPercent: maxPercent)
        }
    }
}

extension Value {
    /// The number, when the value is an integer.
    public var integerValue: Int? {
        if case .integer(let number) = self { return number }
        return nil
    }
}
