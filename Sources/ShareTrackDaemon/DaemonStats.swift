import ShareTrackCore
import Synchronization

/// Counters the daemon keeps about itself: connections, and the event rate over recent windows.
final class DaemonStats: Sendable {
    private struct State {
        var connections = StatusReport.Connections()
        /// Events answered (accepted + duplicate + rejected) sampled once a second, newest last;
        /// the first is the start's zero, so the events of the first second count too.
        var samples: [Int64] = [0]
        /// `connections.total` when `churned(atLeast:)` last said yes.
        var totalAtLastChurn = 0
    }

    private static let window = 61
    private let state = Mutex(State())

    func connectionOpened() {
        state.withLock {
            $0.connections.open += 1
            $0.connections.total += 1
        }
    }

    func connectionClosed() {
        state.withLock { $0.connections.open -= 1 }
    }

    func connectionRefused() {
        state.withLock { $0.connections.refused += 1 }
    }

    var connections: StatusReport.Connections { state.withLock { $0.connections } }

    /// Whether `count` connections or more were opened since this last said yes: the buffers of
    /// that many, freed, are worth giving back to the kernel (`MallocTrim`).
    func churned(atLeast count: Int) -> Bool {
        state.withLock { state in
            guard state.connections.total - state.totalAtLastChurn >= count else { return false }
            state.totalAtLastChurn = state.connections.total
            return true
        }
    }

    /// Records the running total of events; called once a second.
    func sample(eventsAnswered: Int64) {
        state.withLock { state in
            state.samples.append(eventsAnswered)
            if state.samples.count > Self.window { state.samples.removeFirst() }
        }
    }

    /// Events per second over the last `seconds` (or as many as have been sampled).
    func rate(overLast seconds: Int) -> Double {
        state.withLock { state in
            guard let last = state.samples.last, state.samples.count > 1 else { return 0 }
            let span = min(seconds, state.samples.count - 1)
            return Double(last - state.samples[state.samples.count - 1 - span]) / Double(span)
        }
    }
}
