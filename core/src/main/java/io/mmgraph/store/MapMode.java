package io.mmgraph.store;

/** How the data files are mapped. */
public enum MapMode {
    /** The single writer: shared, writable mappings; stores reach the page cache and, after msync, the disk. */
    READ_WRITE,
    /** Readers: shared read-only mappings; they see the writer's pages through the one page cache. */
    READ_ONLY,
    /**
     * Readers that may scribble: a copy-on-write ({@code MAP_PRIVATE}) mapping, whose stores are never written back.
     * It is <em>not</em> a snapshot: a page this process has not written still shows the writer's later changes;
     * only pages it wrote are its own copy. Needs files opened for writing (a JDK rule for private mappings).
     */
    PRIVATE
}
