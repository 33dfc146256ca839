import Glibc

/// Giving freed memory back to the kernel, from glibc's allocator.
///
/// A batch of a few hundred thousand events is tens of MB, allocated on the ingest thread's arena
/// among the token cache's long-lived allocations, and freed once written. `configure()` (at start)
/// gives the batches' large buffers mappings of their own, which go back as they are freed; `run()`
/// (after a large flush) returns the free pages among the small allocations. Neither function is in
/// the Glibc module's headers, hence `dlsym`; on a C library without them both do nothing.
enum MallocTrim {
    private typealias Trim = @convention(c) (Int) -> Int32
    private typealias Option = @convention(c) (Int32, Int32) -> Int32

    private static let trim: Trim? = dlsym(nil, "malloc_trim").map { unsafeBitCast($0, to: Trim.self) }
    private static let mallopt: Option? = dlsym(nil, "mallopt").map { unsafeBitCast($0, to: Option.self) }

    /// glibc's `malloc_trim(0)`: gives the free pages of the heap back to the kernel (without it the
    /// daemon's resident size would stay at its peak for good).
    static func run() {
        _ = trim?(0)
    }

    /// Serves every allocation of 1 MiB or more with a mapping of its own, unmapped when it is freed.
    ///
    /// glibc starts with a 128 KiB threshold but raises it to the size of each such block freed (up
    /// to 32 MiB), so from the first freed batch on, the batches' dictionaries and arrays came from
    /// the heap, and stayed resident after they were freed until the next trim. Setting the threshold
    /// (`M_MMAP_THRESHOLD`) turns that off. 1 MiB rather than 128 KiB: the array of parsed lines of
    /// each read (up to a few hundred KiB) stays in the heap, reused without a page fault each time;
    /// the resident size measured the same. Call once, at start.
    static func configure() {
        let mmapThreshold: Int32 = -3  // M_MMAP_THRESHOLD, <malloc.h>
        _ = mallopt?(mmapThreshold, 1 << 20)
    }
}
