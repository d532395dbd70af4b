package io.mmgraph.format;

import java.lang.foreign.MemorySegment;

/**
 * Where a search reads the code of an ordinal in place: the codes file's mapping ({@link CodeRecords}) or a copy
 * of it in memory. Implementations are thread-safe for reads of codes they hold.
 */
public interface CodeSource {
    /** The segment holding the code of {@code ordinal}. */
    MemorySegment segmentOf(long ordinal);

    /** The code's offset in {@link #segmentOf}. */
    long offsetOf(long ordinal);
}
