package io.mmgraph.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Asserts that two searches by different read paths over the same index found the same neighbours. */
final class SameResults {
    private SameResults() {}

    /**
     * The same ordinals, and distances equal to the last bit or two: the same bytes go through the same kernel, but
     * the Vector API may sum lanes in another order where a call site is not intrinsified.
     */
    static void assertSame(int[] expected, float[] expectedDistances, int[] actual, float[] actualDistances, String what) {
        assertArrayEquals(expected, actual, what);
        for (int i = 0; i < expected.length; i++) {
            float d = expectedDistances[i];
            assertEquals(d, actualDistances[i], 1e-6f * Math.max(1f, Math.abs(d)), what + ", distance " + i);
        }
    }
}
