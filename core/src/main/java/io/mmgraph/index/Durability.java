package io.mmgraph.index;

/**
 * When a writer commits on its own, besides {@link MMapGraph#sync()} and {@link MMapGraph#close()}: how many
 * acknowledged inserts a crash may take with it, traded against the cost of commits (each one msyncs what changed
 * and writes the manifest; docs/reliability.md says what survives in each mode).
 *
 * @param everyInserts commit once this many inserts wait uncommitted (0: not by count)
 * @param everyMillis  commit this often while any insert waits uncommitted (0: not by time)
 */
public record Durability(long everyInserts, long everyMillis) {
    /** Commits only on {@code sync()} and {@code close()}: the default. */
    public static final Durability ON_DEMAND = new Durability(0, 0);

    public Durability {
        if (everyInserts < 0 || everyMillis < 0) {
            throw new IllegalArgumentException("everyInserts " + everyInserts + " and everyMillis " + everyMillis
                    + " must not be negative");
        }
    }

    /** Commit whenever {@code n} inserts wait uncommitted. */
    public static Durability everyInserts(long n) {
        return ON_DEMAND.andEveryInserts(n);
    }

    /** Commit every {@code millis} ms while inserts wait uncommitted. */
    public static Durability everyMillis(long millis) {
        return ON_DEMAND.andEveryMillis(millis);
    }

    /** This mode, and also commit whenever {@code n} inserts wait. */
    public Durability andEveryInserts(long n) {
        if (n < 1) {
            throw new IllegalArgumentException("commit every " + n + " inserts: must be at least 1");
        }
        return new Durability(n, everyMillis);
    }

    /** This mode, and also commit every {@code millis} ms while inserts wait. */
    public Durability andEveryMillis(long millis) {
        if (millis < 1) {
            throw new IllegalArgumentException("commit every " + millis + " ms: must be at least 1");
        }
        return new Durability(everyInserts, millis);
    }
}
