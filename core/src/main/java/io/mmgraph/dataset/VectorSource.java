package io.mmgraph.dataset;

import java.io.IOException;

/**
 * Vectors read one after another from a file, whatever its format ({@link VectorFiles#open}): the dimension and the
 * count are known once it is open.
 */
public interface VectorSource extends AutoCloseable {
    int dimension();

    /** How many vectors the file holds. */
    long count();

    boolean hasNext();

    /** Reads the next vector into {@code into} (length ≥ {@link #dimension()}). */
    void next(float[] into) throws IOException;

    /** The next vector, into a fresh array. */
    default float[] next() throws IOException {
        float[] v = new float[dimension()];
        next(v);
        return v;
    }

    @Override
    void close() throws IOException;
}
