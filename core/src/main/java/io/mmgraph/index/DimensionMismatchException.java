package io.mmgraph.index;

/** A vector's dimension differs from the index's. */
public class DimensionMismatchException extends IllegalArgumentException {
    private final int expected;
    private final int actual;

    public DimensionMismatchException(int expected, int actual) {
        this("", expected, actual);
    }

    public DimensionMismatchException(String context, int expected, int actual) {
        super((context.isEmpty() ? "" : context + ": ") + "vector has dimension " + actual
                + " but the index has dimension " + expected);
        this.expected = expected;
        this.actual = actual;
    }

    public int expected() {
        return expected;
    }

    public int actual() {
        return actual;
    }
}
