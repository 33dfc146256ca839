import ArgumentParser
import ShareTrackCore

/// Parsers of option values that say what is wrong with a bad one: the argument parser prints
/// `The value 'yesterday' is invalid for '--since <time>': expected ...`.
enum ArgumentValue {
    static func pointInTime(_ text: String) throws -> PointInTime {
        try pointInTime(text, roundingUp: false)
    }

    /// The end of a time range (`--until`): a fraction of a second rounds up, so that the hour it
    /// falls in is counted.
    static func endOfRange(_ text: String) throws -> PointInTime {
        try pointInTime(text, roundingUp: true)
    }

    private static func pointInTime(_ text: String, roundingUp: Bool) throws -> PointInTime {
        guard let time = PointInTime(text, roundingUp: roundingUp) else {
            throw ValidationError("expected a duration before now (90m, 24h, 7d, 2w, 1h30m) "
                                  + "or an RFC 3339 time (2026-11-27T20:00:00Z)")
        }
        return time
    }

    /// A duration (`30s`, `5m`, `1h30m`, ...) or, as in the configuration, a whole number of seconds.
    static func duration(_ text: String) throws -> DurationArgument {
        guard let seconds = Formatting.parseDuration(text) ?? UInt32(text).map(Int64.init) else {
            throw ValidationError("expected a duration: seconds, or a number with s, m, h, d or w (300, 30s, 5m, 2h, 7d, 1h30m)")
        }
        return DurationArgument(seconds: seconds)
    }

    /// A count of at least 1 (`--limit`).
    static func count(_ text: String) throws -> Int {
        guard let count = Int(text), count >= 1 else {
            throw ValidationError("expected a whole number of at least 1")
        }
        return count
    }
}
