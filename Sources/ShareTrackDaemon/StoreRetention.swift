/// A node's visitor retention as the shipper applies it to the shared store.
struct StoreRetention {
    var seconds: Double = 0
    var lastRun: ContinuousClock.Instant?
}
