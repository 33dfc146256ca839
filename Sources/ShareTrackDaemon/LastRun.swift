extension Optional where Wrapped == ContinuousClock.Instant {
    /// Whether something last done at this instant (nil: never) is due again, `period` later.
    func isDue(every period: Duration, now: ContinuousClock.Instant = .now) -> Bool {
        map { now - $0 >= period } ?? true
    }
}
