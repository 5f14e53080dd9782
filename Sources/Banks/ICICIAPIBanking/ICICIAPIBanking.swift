import Reconciler

/// ICICI Bank API Banking: this version validates its manifests; planning and applying come with its adapter.
enum ICICIAPIBanking {
    static let bank = Bank(validatingOnly: .iciciAPIBanking, sandboxMount: "/icici")
}
