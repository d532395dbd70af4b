package io.mmgraph.bench;

/**
 * One point of one engine's recall/QPS curve, with the engine's build and index figures repeated on every row so
 * that each row stands alone in a CSV.
 *
 * @param engine        engine or variant name (e.g. {@code jvector-disk})
 * @param effortName    what {@code param} is for this engine ({@code ef}, {@code rerankK}, {@code topK}, …)
 * @param param         the search-effort value of this row
 * @param k             neighbours asked for
 * @param recall        mean recall@k against the truth
 * @param qps           single-thread queries per second (median of the timed passes)
 * @param qpsThreads    queries per second with {@code threads} threads searching at once (median of the passes)
 * @param threads       searching threads of {@code qpsThreads}, and build threads
 * @param p50Micros     median single-thread latency
 * @param p99Micros     99th percentile single-thread latency
 * @param visitedPerQuery mean nodes a search computed a distance to, as the engine counts them (-1: not reported)
 * @param buildSeconds  wall time of the build, including persisting it
 * @param indexBytes    bytes of the persisted index
 * @param openMillis    wall time to open the persisted index (0 for an in-memory variant)
 * @param heapPeakBytes peak heap use of the JVM that searched (a persisted variant's JVM holds only the queries and
 *                      truth besides the engine; an in-memory variant's is the build's JVM)
 * @param rssPeakBytes  peak resident set of the process that searched (VmHWM; includes mapped file pages touched)
 * @param buildHeapPeakBytes peak heap use of the build's JVM (includes the base vectors every engine is given)
 * @param buildRssPeakBytes  peak resident set of the build's process
 * @param simd          the SIMD provider the engine reported
 * @param n             base vectors
 * @param dimension     dimension
 * @param queries       queries per pass
 */
public record ResultRow(String engine, String effortName, int param, int k, double recall, double qps,
                        double qpsThreads, int threads, double p50Micros, double p99Micros, double visitedPerQuery, double buildSeconds,
                        long indexBytes, double openMillis, long heapPeakBytes, long rssPeakBytes,
                        long buildHeapPeakBytes, long buildRssPeakBytes, String simd,
                        int n, int dimension, int queries) {

    /** The CSV header, in the order of {@link #csv()}. */
    public static String csvHeader() {
        return "engine,effortName,param,k,recall,qps,qpsThreads,threads,p50Micros,p99Micros,visitedPerQuery,buildSeconds,indexBytes,"
                + "openMillis,heapPeakBytes,rssPeakBytes,buildHeapPeakBytes,buildRssPeakBytes,simd,n,dimension,queries";
    }

    public String csv() {
        return String.join(",", quote(engine), quote(effortName), Integer.toString(param), Integer.toString(k),
                fmt(recall), fmt(qps), fmt(qpsThreads), Integer.toString(threads), fmt(p50Micros), fmt(p99Micros),
                fmt(visitedPerQuery), fmt(buildSeconds), Long.toString(indexBytes), fmt(openMillis), Long.toString(heapPeakBytes),
                Long.toString(rssPeakBytes), Long.toString(buildHeapPeakBytes), Long.toString(buildRssPeakBytes),
                quote(simd), Integer.toString(n), Integer.toString(dimension),
                Integer.toString(queries));
    }

    private static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.6g", v);
    }

    private static String quote(String s) {
        return s.indexOf(',') < 0 && s.indexOf('"') < 0 ? s : '"' + s.replace("\"", "\"\"") + '"';
    }
}
