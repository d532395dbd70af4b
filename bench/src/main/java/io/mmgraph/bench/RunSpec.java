package io.mmgraph.bench;

import java.util.List;

/**
 * What one engine's JVM is to do; written by the parent as JSON, read by {@link EngineRun}.
 *
 * @param engine       engine name ({@link io.mmgraph.bench.engine.Engines})
 * @param dataDir      folder with {@code base.fvecs}, {@code query.fvecs}, {@code truth.ivecs}
 * @param metric       metric name ({@link io.mmgraph.vector.Metric#parse})
 * @param k            neighbours per query
 * @param threads      build threads and searching threads of the all-thread QPS
 * @param efforts      the search-effort sweep (values below k are raised to k)
 * @param degree       base-layer degree (see {@link io.mmgraph.bench.engine.BuildParams})
 * @param buildBeamWidth build beam width
 * @param alpha        pruning diversity factor
 * @param indexDir     where the engine persists its index (created empty)
 * @param passes       timed passes per point; QPS is their median
 * @param minPassSeconds a pass repeats the query set until it lasts at least this long
 * @param phase        {@code build}: build, write {@code buildInfo} and search the in-memory variants;
 *                     {@code search}: open and search the persisted variants of that build
 * @param buildInfo    where the build phase writes its {@link BuildInfo} and the search phase reads it
 */
public record RunSpec(String engine, String dataDir, String metric, int k, int threads, List<Integer> efforts,
                      int degree, int buildBeamWidth, float alpha, String indexDir, int passes,
                      double minPassSeconds, String phase, String buildInfo) {
    public static final String BUILD = "build";
    public static final String SEARCH = "search";

    public RunSpec withPhase(String phase) {
        return new RunSpec(engine, dataDir, metric, k, threads, efforts, degree, buildBeamWidth, alpha, indexDir, passes,
                minPassSeconds, phase, buildInfo);
    }
}
