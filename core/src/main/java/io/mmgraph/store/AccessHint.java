package io.mmgraph.store;

/**
 * How a mapping will be read, passed to the kernel as {@code madvise} advice (DESIGN.md §7). A hint never changes
 * what is read, only how the kernel reads ahead and which pages it keeps; where the OS lacks one it is a no-op.
 */
public enum AccessHint {
    /** Default readahead. */
    NORMAL,
    /** Graph walks: no readahead around a fault; each hop touches one record. */
    RANDOM,
    /** Scans (exact search, verify, export): aggressive readahead, pages dropped behind. */
    SEQUENTIAL,
    /** Warm-up and prefetch: start reading the range now. */
    WILLNEED,
    /** Back mappings with transparent huge pages where the kernel and file system allow (Linux only). */
    HUGEPAGE
}
