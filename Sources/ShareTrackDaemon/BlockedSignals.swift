import Glibc

/// Signals blocked in every thread and taken one at a time with `sigwaitinfo`, by the main thread,
/// which has nothing else to do.
///
/// Not libdispatch's signal sources: on Linux they catch a signal with a handler that forwards it
/// to the thread that registered the source, and `dispatchMain()` leaves the main thread in a
/// `sigsuspend` with every signal unblocked. A SIGTERM sent the moment the sockets accepted was
/// lost in about 1 start in 30 (the daemon went on serving). Here a signal sent at any time waits,
/// pending, until `next()` takes it: every thread blocks these (the main thread from `init`, before
/// the daemon starts a thread or opens its database; libdispatch's workers and `EventLoop` block
/// every signal).
struct BlockedSignals {
    private var set = sigset_t()

    init(_ numbers: [Int32]) {
        sigemptyset(&set)
        for number in numbers { sigaddset(&set, number) }
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    /// Waits for the next of the signals, and returns its number.
    func next() -> Int32 {
        var set = self.set
        while true {
            let number = sigwaitinfo(&set, nil)
            if number > 0 { return number }
        }
    }
}
