package io.mmgraph.index;

/**
 * How a reader reads the full vectors it re-ranks with, chosen per open ({@link MMapGraph#openReadOnly(java.nio.file.Path,
 * VectorIo)}; CLI {@code --io}).
 */
public enum VectorIo {
    /** Through the mapping, like everything else: the page cache keeps what was read. */
    MMAP,
    /**
     * With {@code O_DIRECT}, bypassing the page cache: a beam's vectors are read in parallel (up to 32 at once) into a small cache of
     * the reader's own. Applies to re-ranking, so to indexes with codes; lists and codes are still mapped. Opening
     * fails with a message naming the file system where it does not support direct I/O.
     */
    DIRECT
}
