import Dispatch
import Foundation
import Reconciler
import Synchronization

/// SIGINT and SIGTERM during a command that holds the state lock: the first asks the apply to stop (no new bank
/// call, calls in flight finish, state saved, summary printed); the second exits at once, still releasing the lock.
final class SignalWatcher: Sendable {
    let stop = StopRequest()
    /// The local state folder whose lock this process may hold; a database lock ends with the process's session.
    let localLockFolder = Mutex<URL?>(nil)
    nonisolated(unsafe) var sources: [any DispatchSourceSignal] = []

    /// Starts watching; the process ignores the signals' default action from here on.
    static func start() -> SignalWatcher {
        let watcher = SignalWatcher()
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { watcher.received(number) }
            source.resume()
            watcher.sources.append(source)
        }
        return watcher
    }

    func received(_ number: Int32) {
        let name = number == SIGINT ? "SIGINT" : "SIGTERM"
        if stop.request(signal: number) {
            Terminal.error("\(name): stopping after the bank calls in flight; nothing new starts. Send it again to stop at once.")
            return
        }
        // This process is the holder, so the lock is released despite its holder (us) still running.
        if let folder = localLockFolder.withLock({ $0 }), let holder = StateLock.holder(in: folder), holder.pid == getpid() {
            _ = try? StateLock.forceUnlock(in: folder, id: holder.id, force: true)
        }
        Terminal.error("\(name) again: stopped at once; calls in flight may have reached the bank, and the next plan looks them up.")
        exit(128 + number)
    }

    /// Makes a second signal release this process's lock in the local state folder before exiting.
    func releasesLocalLock(in folder: URL) {
        localLockFolder.withLock { $0 = folder }
    }
}
