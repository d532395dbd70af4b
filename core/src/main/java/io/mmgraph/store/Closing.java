package io.mmgraph.store;

import java.io.IOException;

/** Closing several resources so that one failure neither stops the others nor hides theirs. */
public final class Closing {
    private Closing() {}

    /**
     * Closes every resource, in order, whatever I/O errors the earlier ones threw; then throws the first, the later
     * ones added to it as suppressed. A runtime exception (a bug) is not held back.
     */
    public static void closeAll(Iterable<? extends AutoCloseable> resources) throws IOException {
        IOException first = null;
        for (AutoCloseable r : resources) {
            try {
                r.close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Exception e) {
                IOException wrapped = new IOException("closing " + r + ": " + e, e);
                if (first == null) {
                    first = wrapped;
                } else {
                    first.addSuppressed(wrapped);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
