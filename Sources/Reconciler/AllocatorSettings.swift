#if canImport(Glibc)
import Glibc
#endif

/// How the process's memory allocator is set up: once, at the start of every command and benchmark scenario.
public enum AllocatorSettings {
    /// Blocks of this many bytes or more are mapped on their own and given back to the system when freed.
    ///
    /// At glibc's starting 128 KB, the many tables and arrays of a few hundred KB come as fresh pages every time, and a
    /// plan of 10,000 took 15 % longer; at 4 MB only the large answers and tables do, which are most of what stayed
    /// resident, and the time does not change.
    public static let mappedBlockBytes: Int32 = 4 * 1024 * 1024

    /// Fixes glibc's threshold for mapping large blocks at `mappedBlockBytes`.
    ///
    /// Left alone, glibc raises the threshold to the size of each mapped block freed, up to 32 MB. A plan of 50,000
    /// frees a 12 MB answer, after which the next large tables come from the heap, whose free space is rarely
    /// given back: the resident size stayed 60 to 110 MB above the heap.
    public static func apply() {
        #if canImport(Glibc)
        // `mallopt` is declared in malloc.h, which the Glibc module leaves out: it is found by name.
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        let mallopt = unsafeBitCast(symbol, to: (@convention(c) (Int32, Int32) -> Int32).self)
        _ = mallopt(mmapThreshold, mappedBlockBytes)
        #endif
    }

    /// Gives the free pages of every malloc arena back to the system, after a long list's answer and decoding are
    /// freed and before the objects are matched.
    ///
    /// Each thread allocates from an arena of its own, and the list may be decoded on another thread than the one that
    /// matches it: what the decoding freed then stays resident while matching fills another arena. A plan of 50,000 in
    /// state peaked 17 MB higher in some runs than in others for that reason. The call walks the free blocks once: a
    /// few milliseconds at that size, so it is made for long lists only.
    public static func returnFreeMemory() {
        #if canImport(Glibc)
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return }
        let trim = unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
        _ = trim(0)
        #endif
    }

    /// Lists at least this long have the memory their reading freed given back before they are matched (at 10,000 the
    /// peak did not move beyond the runs' spread).
    public static let longList = 20_000

    /// malloc.h's `M_MMAP_THRESHOLD`.
    static let mmapThreshold: Int32 = -3
}
