package io.mmgraph;

import java.util.Random;
import java.util.SplittableRandom;

/**
 * Seeds for randomized tests: every randomized test takes its seed from here, prints it, and can be replayed with
 * {@code -Dtests.seed=<seed>} (decimal, or hexadecimal with a {@code 0x} prefix).
 */
public final class TestSeeds {
    /** The system property that overrides the random seed of every test. */
    public static final String PROPERTY = "tests.seed";

    private TestSeeds() {}

    /** The seed for {@code test}: {@code tests.seed} when set, otherwise a fresh random one. Printed to stdout. */
    public static long seed(String test) {
        String fixed = System.getProperty(PROPERTY);
        long seed = fixed == null || fixed.isBlank() ? new SplittableRandom().nextLong() : parse(fixed.trim());
        System.out.println("seed=" + seed + " test=" + test + " (replay: -D" + PROPERTY + "=" + seed + ")");
        return seed;
    }

    /** A {@link Random} seeded by {@link #seed(String)}. */
    public static Random random(String test) {
        return new Random(seed(test));
    }

    static long parse(String s) {
        if (s.startsWith("0x") || s.startsWith("0X")) {
            return Long.parseUnsignedLong(s.substring(2), 16);
        }
        return Long.parseLong(s);
    }
}
