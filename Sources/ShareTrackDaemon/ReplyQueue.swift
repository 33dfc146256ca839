import DequeModule
import ShareTrackCore

/// The replies of one connection that wait for a commit, in order, run-length encoded: a read's
/// worth of `ok` lines waiting for the same generation is one entry, not thousands.
///
/// With a `Deque<Engine.Reply>` every pipelined line cost a ~60-byte entry until its commit (a
/// producer with 250,000 lines in flight held 15 MB); runs make that memory and the release of a
/// committed batch independent of the number of lines. (The Deque itself was not slow: it was
/// what it held.)
struct ReplyQueue {
    private enum Run {
        case ok(waitFor: UInt64, count: Int)
        case duplicate(waitFor: UInt64, count: Int)
        case rejected(Rejection)
        case test(count: Int)
    }

    private var runs = Deque<Run>()
    /// Replies held, over all runs.
    private(set) var count = 0

    var isEmpty: Bool { count == 0 }

    mutating func append(_ reply: Engine.Reply) {
        count += 1
        switch (reply.outcome, runs.last) {
        case (.accepted, .ok(let waitFor, let run)?) where waitFor == reply.waitFor:
            runs[runs.count - 1] = .ok(waitFor: waitFor, count: run + 1)
        case (.accepted, _):
            runs.append(.ok(waitFor: reply.waitFor, count: 1))
        case (.duplicate, .duplicate(let waitFor, let run)?) where waitFor == reply.waitFor:
            runs[runs.count - 1] = .duplicate(waitFor: waitFor, count: run + 1)
        case (.duplicate, _):
            runs.append(.duplicate(waitFor: reply.waitFor, count: 1))
        case (.rejected(let rejection), _):
            runs.append(.rejected(rejection))
        case (.test, .test(let run)?):
            runs[runs.count - 1] = .test(count: run + 1)
        case (.test, _):
            runs.append(.test(count: 1))
        }
    }

    /// Moves the replies from the front that wait for generation `committed` or earlier (or for
    /// nothing) to `output` as response lines, stopping at the first that must still wait.
    mutating func release(upTo committed: UInt64, into output: inout [UInt8]) {
        while let run = runs.first {
            switch run {
            case .ok(let waitFor, let lines) where waitFor <= committed:
                Self.repeat(ResponseLine.ok, lines, into: &output)
                count -= lines
            case .duplicate(let waitFor, let lines) where waitFor <= committed:
                Self.repeat(ResponseLine.duplicate, lines, into: &output)
                count -= lines
            case .rejected(let rejection):
                ResponseLine.append(.rejected(rejection), to: &output)
                count -= 1
            case .test(let lines):
                Self.repeat(ResponseLine.test, lines, into: &output)
                count -= lines
            default:
                return
            }
            runs.removeFirst()
        }
    }

    private static func `repeat`(_ line: [UInt8], _ times: Int, into output: inout [UInt8]) {
        output.reserveCapacity(output.count + line.count * times)
        for _ in 0..<times { output.append(contentsOf: line) }
    }
}
