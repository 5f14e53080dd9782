import Reconciler

/// VietinBank iConnect: this version validates its manifests; planning and applying come with its adapter.
enum VietinBankIConnect {
    static let bank = Bank(validatingOnly: .vietinBankIConnect, sandboxMount: "/vietinbank")
}
