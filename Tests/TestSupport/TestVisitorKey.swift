import ShareTrackCore

/// The visitor key of the unit tests.
public let testKey = VisitorKey(bytes: [UInt8](repeating: 7, count: VisitorKey.size))!

/// The keyed hash of a test visitor id.
public func visitor(_ id: String) -> UInt64 { testKey.hash(id) }
