package io.mmgraph.index;

import io.mmgraph.graph.NodeFilter;

/**
 * How a filtered search runs: a graph walk that keeps only accepted nodes in its beam, or an exact scan of the
 * accepted nodes. The choice follows a cost model in distance computations, from the fraction {@code p} of nodes the
 * filter accepts, estimated on an evenly spaced sample:
 * <ul>
 *   <li>the scan computes {@code p · n} distances (plus {@code n} filter calls, far cheaper);</li>
 *   <li>the walk must expand about {@code L / p} nodes to fill a beam of {@code L} accepted ones, at up to {@code R}
 *       distances each: {@code L · R / p}.</li>
 * </ul>
 * So the scan wins when {@code p² · n ≤ L · R}: at 10 million nodes, L = 100 and R = 32, for filters accepting under
 * about 1.8% of them; at 100,000 nodes, under 18%. A {@link NodeFilter#costly() costly} filter (a payload read and
 * parsed per test) is counted in tests instead: the scan tests all {@code n} nodes, the walk about {@code L · R / p},
 * so the scan wins when {@code p · n ≤ L · R} (at 100,000 nodes, under 3.2%). A walk that still ends with fewer than k accepted nodes (a filter
 * that selects a region the walk never reaches) is followed by the scan, so a search returns k results whenever as
 * many are accepted.
 */
final class FilterPlan {
    /** Nodes the estimate evaluates the filter on (all of them in smaller indexes). */
    static final int SAMPLE = 1024;

    private FilterPlan() {}

    /**
     * The fraction of {@code [0, n)} that {@code filter} accepts, on {@link #SAMPLE} ordinals, one drawn from each of
     * as many equal strata (at a hashed offset: a filter that repeats with the ordinal, such as every other one, is
     * not met in step).
     */
    static double acceptedFraction(NodeFilter filter, int n) {
        int samples = Math.min(SAMPLE, n);
        int accepted = 0;
        for (int i = 0; i < samples; i++) {
            long from = (long) i * n / samples;
            long width = (long) (i + 1) * n / samples - from;
            long jitter = ((i + 1) * 0x9E3779B97F4A7C15L >>> 33) % width;
            if (filter.accepts((int) (from + jitter))) {
                accepted++;
            }
        }
        return accepted / (double) samples;
    }

    /** Whether scanning the accepted nodes costs fewer distance computations than walking the graph. */
    static boolean scanIsCheaper(double acceptedFraction, int n, int beamWidth, int maxDegree) {
        return scanIsCheaper(acceptedFraction, n, beamWidth, maxDegree, false);
    }

    /** As above; for a {@code costly} filter, whether the scan makes fewer filter tests than the walk. */
    static boolean scanIsCheaper(double acceptedFraction, int n, int beamWidth, int maxDegree, boolean costly) {
        double scan = costly ? acceptedFraction * n : acceptedFraction * acceptedFraction * n;
        return scan <= (double) beamWidth * maxDegree;
    }

    /** Accepts what both accept (costly if either is); either may be null (accepts all). */
    static NodeFilter both(NodeFilter a, NodeFilter b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        boolean costly = a.costly() || b.costly();
        return new NodeFilter() {
            @Override
            public boolean accepts(int node) {
                return a.accepts(node) && b.accepts(node);
            }

            @Override
            public boolean costly() {
                return costly;
            }

            /** One filter's set, less what the other rejects. */
            @Override
            public java.util.BitSet accepted(int n) {
                java.util.BitSet set = b.accepted(n);
                NodeFilter other = a;
                if (set == null) {
                    set = a.accepted(n);
                    other = b;
                }
                if (set == null) {
                    return null;
                }
                for (int node = set.nextSetBit(0); node >= 0 && node < n; node = set.nextSetBit(node + 1)) {
                    if (!other.accepts(node)) {
                        set.clear(node);
                    }
                }
                return set;
            }
        };
    }
}
