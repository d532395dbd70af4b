package io.mmgraph.bench;

/**
 * What an engine's build JVM hands to its search JVM (as JSON), so that rows measured in either carry the build's
 * figures.
 *
 * @param buildSeconds       wall time of the build, including persisting it
 * @param indexBytes         bytes of the persisted index
 * @param heapPeakBytes      peak heap use of the build's JVM
 * @param rssPeakBytes       peak resident set of the build's process
 * @param config             the engine's description of its build settings
 * @param n                  base vectors indexed
 */
public record BuildInfo(double buildSeconds, long indexBytes, long heapPeakBytes, long rssPeakBytes, String config,
                        int n) {
}
