import Glibc

/// glibc's `malloc_trim(0)`: gives the pages of freed heap memory back to the kernel.
///
/// A batch of a few hundred thousand events is tens of MB of small allocations on the ingest
/// thread's arena; once it has been written and freed, glibc would keep those pages (the daemon's
/// resident size stays at its peak for good). The flush trims after a large batch, so the resident
/// size follows what is live. `malloc_trim` is not in the Glibc module's headers, hence `dlsym`;
/// on a C library without it this does nothing.
enum MallocTrim {
    private typealias Function = @convention(c) (Int) -> Int32

    private static let function: Function? = dlsym(nil, "malloc_trim")
        .map { unsafeBitCast($0, to: Function.self) }

    static func run() {
        _ = function?(0)
    }
}
