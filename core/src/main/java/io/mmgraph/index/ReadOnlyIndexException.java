package io.mmgraph.index;

/** A write was attempted on an index opened for reading. */
public class ReadOnlyIndexException extends UnsupportedOperationException {
    public ReadOnlyIndexException(String what) {
        super(what);
    }
}
