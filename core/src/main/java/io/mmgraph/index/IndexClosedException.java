package io.mmgraph.index;

/** The index was used after {@link MMapGraph#close()}. Nothing was read from unmapped memory. */
public class IndexClosedException extends IllegalStateException {
    public IndexClosedException(String what) {
        super(what);
    }
}
