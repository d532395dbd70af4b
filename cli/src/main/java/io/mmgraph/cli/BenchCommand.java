package io.mmgraph.cli;

import io.mmgraph.bench.BenchOptions;
import io.mmgraph.bench.BenchRunner;
import io.mmgraph.bench.RecallQpsPlot;
import io.mmgraph.bench.ResultsWriter;
import io.mmgraph.bench.Summary;
import io.mmgraph.vector.Metric;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "bench", mixinStandardHelpOptions = true, subcommands = {ScaleCommand.class, CrashCommand.class, FuzzCommand.class},
        description = {"Side-by-side benchmark: mmgraph against jvector, Lucene HNSW, exact search and (where",
                "Debian's python3-hnswlib is installed) hnswlib, on identical data, each in a JVM of its own with",
                "identical flags. Reports build time, index size, open time, peak heap and RSS, and a recall/QPS",
                "curve over each engine's search-effort parameter (1 thread and --threads threads).",
                "Writes OUT/results.json, OUT/results.csv, OUT/config.json, OUT/recall-qps.png and",
                "OUT/recall-qps-threads.png; progress on stderr, a summary table on stdout."})
final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR|FILE.hdf5",
            description = {"A folder as 'mmgraph gen' writes it (base.fvecs or .bvecs, query.fvecs, truth.ivecs)",
                    "or an ann-benchmarks .hdf5 file (train, test, neighbors). Without it, --n/--dim generate data."})
    Path data;

    @Option(names = "--n", paramLabel = "N", description = "Synthetic base vectors (without --data).")
    Integer n;

    @Option(names = "--dim", paramLabel = "D", description = "Synthetic dimension (without --data).")
    Integer dim;

    @Option(names = "--queries", paramLabel = "Q",
            description = "Synthetic queries to generate (default 1000); with --data, use at most Q queries (default all).")
    Integer queries;

    @Option(names = "--metric", paramLabel = "M",
            description = "l2, cosine or dot (default: the HDF5 file's own, else l2).")
    String metric;

    @Option(names = "--engines", defaultValue = "mmgraph,jvector,lucene,exact,hnswlib", split = ",", paramLabel = "LIST",
            description = "Engines to run, in order (default: ${DEFAULT-VALUE}; hnswlib is skipped where not installed).")
    List<String> engines;

    @Option(names = {"-k", "--k"}, defaultValue = "10", paramLabel = "K", description = "Neighbours per query (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--threads", paramLabel = "T",
            description = "Build threads and all-thread search threads (default: the available processors).")
    Integer threads;

    @Option(names = "--efforts", split = ",", paramLabel = "LIST",
            description = "Search-effort sweep: ef / rerankK / topK values (default: 10,15,20,30,40,60,80,100,150,200,300,400).")
    List<Integer> efforts;

    @Option(names = "--degree", defaultValue = "32", paramLabel = "R",
            description = "Base-layer links per node for every engine: mmgraph R, jvector maxDegree, Lucene/hnswlib 2*M (default: ${DEFAULT-VALUE}).")
    int degree;

    @Option(names = "--build-ef", defaultValue = "100", paramLabel = "L",
            description = "Build beam width for every engine (default: ${DEFAULT-VALUE}).")
    int buildEf;

    @Option(names = "--alpha", defaultValue = "1.2", paramLabel = "A",
            description = "Pruning factor for mmgraph and jvector (default: ${DEFAULT-VALUE}).")
    float alpha;

    @Option(names = "--passes", defaultValue = "3", paramLabel = "P",
            description = "Timed passes per point; QPS is their median (default: ${DEFAULT-VALUE}).")
    int passes;

    @Option(names = "--min-pass-seconds", defaultValue = "1.0", paramLabel = "S",
            description = "A pass repeats the queries until it lasts this long (default: ${DEFAULT-VALUE}).")
    double minPassSeconds;

    @Option(names = "--jvm-opts", defaultValue = "-Xmx8g -XX:+UseG1GC", paramLabel = "FLAGS",
            description = "Flags for every engine's JVM, identical for all (default: ${DEFAULT-VALUE}).")
    String jvmOpts;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "S", description = "Synthetic data seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--keep-indexes", description = "Keep each engine's index under OUT/index (default: delete after its run).")
    boolean keepIndexes;

    @Option(names = "--search-rounds", defaultValue = "1", paramLabel = "R",
            description = {"Search each persisted index R times, in fresh JVMs, the engines taking turns; each point",
                    "reports the median over rounds (default: ${DEFAULT-VALUE}). For a shared, noisy machine."})
    int searchRounds;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (required).")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (out == null) {
            throw new ParameterException(spec.commandLine(), "Missing required option: '--out=DIR'");
        }
        if ((data == null) == (n == null || dim == null)) {
            throw new ParameterException(spec.commandLine(), "give either --data or both --n and --dim");
        }
        if (data != null && (n != null || dim != null)) {
            throw new ParameterException(spec.commandLine(), "--n/--dim generate data; they cannot be used with --data");
        }
        int t = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (t < 1 || k < 1 || passes < 1 || searchRounds < 1) {
            throw new ParameterException(spec.commandLine(), "--threads, --k, --passes and --search-rounds must be positive");
        }
        int q = queries != null ? queries : (data == null ? 1000 : 0);
        BenchOptions options = new BenchOptions(data, n == null ? 0 : n, dim == null ? 0 : dim, q,
                metric == null ? null : Metric.parse(metric), engines.stream().map(String::trim).toList(), k, t,
                efforts == null ? BenchOptions.DEFAULT_EFFORTS : efforts, degree, buildEf, alpha, out,
                Arrays.stream(jvmOpts.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList(), passes,
                minPassSeconds, seed, keepIndexes, searchRounds);
        BenchRunner.Outcome outcome = BenchRunner.run(options);
        System.out.println(Summary.table(outcome.rows(), 0.9, 0.95, 0.99));
        System.out.println("results: " + out.resolve(ResultsWriter.JSON_FILE) + ", " + out.resolve(ResultsWriter.CSV_FILE)
                + ", " + out.resolve(RecallQpsPlot.SINGLE_THREAD_PNG) + ", " + out.resolve(RecallQpsPlot.ALL_THREADS_PNG));
        outcome.problems().forEach((e, msg) -> System.out.println(e + ": " + msg));
        boolean failed = outcome.problems().values().stream().anyMatch(m -> !m.startsWith("skipped"));
        return failed ? 1 : 0;
    }
}
