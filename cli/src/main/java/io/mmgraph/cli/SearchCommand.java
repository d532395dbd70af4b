package io.mmgraph.cli;

import io.mmgraph.dataset.GroundTruth;
import io.mmgraph.filter.QdrantFilters;
import io.mmgraph.dataset.VectorFiles;
import io.mmgraph.index.MMapGraph;
import io.mmgraph.index.Neighbor;
import io.mmgraph.index.SearchOptions;
import io.mmgraph.index.VectorIo;
import io.mmgraph.index.SearchResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "search", mixinStandardHelpOptions = true,
        description = {"Search the index: one query (--vector, or --like an id's vector), printing the k nearest",
                "vectors with their ids, distances and payloads; or every query of a file (--queries), reporting",
                "throughput, latency and recall.",
                "Opens the newest commit read-only and searches the graph with beam width --ef;",
                "--exact searches by brute force instead (the recall oracle). Deleted vectors are never returned."})
final class SearchCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "Index directory.")
    Path dir;

    @Option(names = "--queries", paramLabel = "FILE", description = "Query vectors (.fvecs or .bvecs): a benchmark run.")
    Path queries;

    @Option(names = "--vector", paramLabel = "V", description = "One query: its components, comma-separated, or a JSON array.")
    String vector;

    @Option(names = "--like", paramLabel = "ID", description = "One query: the vector the id names (which is left out of the results).")
    String like;

    @Option(names = "--text", paramLabel = "TEXT",
            description = "One query: this text, embedded locally with all-MiniLM-L6-v2 (for an index built by import --embed).")
    String text;

    @Option(names = {"-k", "--k"}, defaultValue = "10", paramLabel = "K", description = "Neighbours per query (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--truth", paramLabel = "FILE.ivecs",
            description = "Exact neighbour ids per query, nearest first; recall@k uses the first k of each row.")
    Path truth;

    @Option(names = "--json", description = "Print one JSON object (recall, qps, k, queries, latencies).")
    boolean json;

    @Option(names = "--show", defaultValue = "0", paramLabel = "N", description = "Print the results of the first N queries.")
    int show;

    @Option(names = "--ef", defaultValue = "" + SearchOptions.DEFAULT_EF, paramLabel = "L", split = ",",
            description = {"Beam width of the graph search (default: ${DEFAULT-VALUE}); at least k is used.",
                    "A comma-separated list runs one pass per value in the same JVM (a recall/QPS sweep)."})
    int[] efs;

    @Option(names = "--warmup", defaultValue = "0", paramLabel = "N",
            description = "Run the queries N times before measuring, so the JIT has compiled the search (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--no-codes", description = "Walk the graph by the full vectors even where the index has codes.")
    boolean noCodes;

    @Option(names = "--io", defaultValue = "mmap", paramLabel = "mmap|direct",
            description = {"How re-ranking reads the full vectors of an index with codes: through the mapping (default)",
                    "or with direct I/O, in parallel, bypassing the page cache."})
    String io;

    @Option(names = "--exact", description = "Brute-force search over every vector instead of the graph.")
    boolean exact;

    @Option(names = "--filter", paramLabel = "JSON",
            description = {"Return only vectors whose payload matches this Qdrant-style filter, e.g.",
                    "'{\"must\":[{\"key\":\"lang\",\"match\":{\"value\":\"en\"}},{\"key\":\"year\",\"range\":{\"gte\":2010}}]}'",
                    "(must / should / must_not; match value / any / except; range gt / gte / lt / lte; dotted keys).",
                    "@FILE reads it from a file."})
    String filter;

    /** The search options with the filter applied, when one was given. */
    private SearchOptions filtered(MMapGraph index, SearchOptions options) throws java.io.IOException {
        if (filter == null) {
            return options;
        }
        String text = filter.startsWith("@") ? java.nio.file.Files.readString(Path.of(filter.substring(1))) : filter;
        return options.withFilter(index.payloadFilter(QdrantFilters.parse(text)));
    }

    @Override
    public Integer call() throws Exception {
        int modes = (queries != null ? 1 : 0) + (vector != null ? 1 : 0) + (like != null ? 1 : 0) + (text != null ? 1 : 0);
        if (modes != 1) {
            throw new IllegalArgumentException("give exactly one of --queries FILE, --vector V, --like ID and --text TEXT");
        }
        if (queries == null) {
            return searchOne();
        }
        float[][] qs = VectorFiles.readAll(queries);
        int[][] truthRows = truth == null ? null : VectorFiles.readIvecs(truth);
        if (truthRows != null && truthRows.length < qs.length) {
            throw new IllegalArgumentException(truth + " has " + truthRows.length + " rows for " + qs.length + " queries");
        }
        VectorIo vectorIo = switch (io.toLowerCase(java.util.Locale.ROOT)) {
            case "mmap" -> VectorIo.MMAP;
            case "direct" -> VectorIo.DIRECT;
            default -> throw new IllegalArgumentException("--io must be mmap or direct, not " + io);
        };
        try (MMapGraph index = MMapGraph.openReadOnly(dir, vectorIo)) {
            int[] passes = exact ? new int[] {efs[0]} : efs;
            for (int ef : passes) {
                SearchOptions options = exact ? SearchOptions.k(k).withEf(ef).exactSearch()
                        : SearchOptions.k(k).withEf(ef);
                if (noCodes) {
                    options = options.withoutCodes();
                }
                options = filtered(index, options);
                for (int w = 0; w < warmup; w++) {
                    for (float[] q : qs) {
                        index.search(q, options);
                    }
                }
                report(index, qs, truthRows, options);
            }
        }
        return 0;
    }

    private void report(MMapGraph index, float[][] qs, int[][] truthRows, SearchOptions options) throws Exception {
        int[][] found = new int[qs.length][];
        long[] latencies = new long[qs.length];
        long distances = 0;
        long start = System.nanoTime();
        for (int i = 0; i < qs.length; i++) {
            long t = System.nanoTime();
            SearchResult r = index.search(qs[i], options);
            List<Neighbor> result = r.neighbors();
            latencies[i] = System.nanoTime() - t;
            distances += r.distanceComputations();
            found[i] = result.stream().mapToInt(Neighbor::ordinal).toArray();
            if (i < show) {
                System.out.println("query " + i + ": " + result);
            }
        }
        double secs = (System.nanoTime() - start) / 1e9;
        Arrays.sort(latencies);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("queries", qs.length);
        m.put("k", k);
        m.put("count", index.size());
        m.put("mode", exact ? "exact" : "graph");
        m.put("ef", exact ? null : options.beamWidth());
        m.put("qps", qs.length / Math.max(secs, 1e-9));
        m.put("p50Millis", percentile(latencies, 0.50));
        m.put("p99Millis", percentile(latencies, 0.99));
        m.put("distancesPerQuery", qs.length == 0 ? 0 : (double) distances / qs.length);
        if (truthRows != null) {
            m.put("recall", GroundTruth.recall(found, truthRows, k));
        }
        if (json) {
            System.out.println(Json.object(m));
        } else {
            System.out.printf("%d queries, k=%d, %s over %d vectors: %.1f queries/s, p50 %.3f ms, p99 %.3f ms, "
                            + "%.0f distances/query%s%n", qs.length, k, exact ? "exact" : "graph ef=" + options.beamWidth(),
                    index.size(), (Double) m.get("qps"), (Double) m.get("p50Millis"), (Double) m.get("p99Millis"),
                    (Double) m.get("distancesPerQuery"),
                    truthRows == null ? "" : String.format(", recall@%d %.4f", k, (Double) m.get("recall")));
        }
    }

    /** One query, its results printed with their ids and payloads. */
    private int searchOne() throws Exception {
        try (MMapGraph index = MMapGraph.openReadOnly(dir)) {
            float[] q;
            int self = -1;
            if (like != null) {
                var d = index.get(like);
                if (d.isEmpty()) {
                    System.err.println("mmgraph search: id " + like + " names no live vector");
                    return 1;
                }
                self = d.get().ordinal();
                q = index.vector(self);
            } else if (text != null) {
                q = new io.mmgraph.embed.TextEmbedder().embed(text);
            } else {
                q = parseVector(vector);
            }
            SearchOptions options = SearchOptions.k(self >= 0 ? k + 1 : k).withEf(Math.max(efs[0], k + 1));
            options = exact ? options.exactSearch() : options;
            options = noCodes ? options.withoutCodes() : options;
            options = filtered(index, options);
            List<Neighbor> found = index.search(q, options).neighbors();
            var results = Documents.JSON.createArrayNode();
            int rank = 0;
            for (Neighbor n : found) {
                if (n.ordinal() == self || rank == k) {
                    continue;
                }
                rank++;
                var node = Documents.node(index, n.ordinal(), false);
                node.put("distance", n.distance());
                results.add(node);
                if (!json) {
                    String shown = node.get("payload").isNull() ? "" : node.get("payload").has("text")
                            ? snippet(node.get("payload").get("text").asText()) : node.get("payload").toString();
                    System.out.printf(java.util.Locale.ROOT, "%3d  %-24s  ordinal %-9d  distance %-12.6g  %s%n", rank,
                            node.get("id").isNull() ? "-" : node.get("id").asText(), n.ordinal(), n.distance(), shown);
                }
            }
            if (json) {
                var out = Documents.JSON.createObjectNode();
                out.set("results", results);
                System.out.println(Documents.JSON.writeValueAsString(out));
            }
        }
        return 0;
    }

    /** The start of a stored text, on one line. */
    static String snippet(String text) {
        String t = text.replaceAll("\\s+", " ").strip();
        return t.length() <= 100 ? t : t.substring(0, 97) + "...";
    }

    /** "0.1, 0.2, 0.3" or "[0.1, 0.2, 0.3]". */
    static float[] parseVector(String text) {
        String t = text.strip();
        if (t.startsWith("[") && t.endsWith("]")) {
            t = t.substring(1, t.length() - 1).strip();
        }
        String[] parts = t.split("[,\\s]+");
        float[] v = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                v[i] = Float.parseFloat(parts[i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--vector component " + i + " is not a number: " + parts[i]);
            }
        }
        return v;
    }

    static double percentile(long[] sortedNanos, double p) {
        if (sortedNanos.length == 0) {
            return 0;
        }
        int i = (int) Math.min(sortedNanos.length - 1, Math.round(p * (sortedNanos.length - 1)));
        return sortedNanos[i] / 1e6;
    }
}
