package io.mmgraph.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.mmgraph.bench.engine.Engines;
import io.mmgraph.dataset.VectorFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Runs {@code mmgraph bench}: prepares the data once, runs each engine in JVMs of its own with identical flags — one
 * that builds (and searches in-memory variants), then a fresh one that opens and searches the persisted index —
 * (hnswlib in Python where installed), and writes {@code results.json}, {@code results.csv}, {@code config.json}
 * and the recall/QPS plots into the output folder. Progress goes to stderr.
 */
public final class BenchRunner {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The outcome: the rows of every engine that ran, and a message per engine that failed or was skipped. */
    public record Outcome(List<ResultRow> rows, Map<String, String> problems) {
    }

    private BenchRunner() {
    }

    public static Outcome run(BenchOptions o) throws IOException, InterruptedException {
        for (String e : o.engines()) {
            Engines.requireKnown(e); // fail on a misspelt engine before anything long runs
        }
        Path out = o.out().toAbsolutePath();
        Path work = out.resolve("work");
        Files.createDirectories(work);
        log("preparing data ...");
        BenchDataSets.Prepared data = o.data() == null
                ? BenchDataSets.synthetic(out.resolve("data"), o.n(), o.dimension(), o.queries(), o.k(),
                o.metric() == null ? io.mmgraph.vector.Metric.L2 : o.metric(), o.seed())
                : BenchDataSets.prepare(o.data(), out.resolve("data"), o.k(), o.metric(), o.queries());
        log(String.format(Locale.ROOT, "data: %,d x %d, %d queries, metric %s (%s)", data.n(), data.dimension(),
                data.queries(), data.metric(), data.source()));
        writeConfig(out, o, data);

        List<ResultRow> built = new ArrayList<>();
        Map<String, String> problems = new LinkedHashMap<>();
        Map<String, Path> searchSpecs = new LinkedHashMap<>();
        try {
            for (String engine : o.engines()) {
                Path indexDir = out.resolve("index").resolve(engine);
                deleteRecursively(indexDir);
                Path buildInfo = work.resolve("build-" + engine + ".json");
                Files.deleteIfExists(buildInfo);
                RunSpec spec = new RunSpec(engine, data.dir().toString(), data.metric().name(), o.k(), o.threads(),
                        o.efforts(), o.degree(), o.buildBeamWidth(), o.alpha(), indexDir.toString(), o.passes(),
                        o.minPassSeconds(), RunSpec.BUILD, buildInfo.toString());
                Path specFile = work.resolve("spec-" + engine + ".json");
                JSON.writeValue(specFile.toFile(), spec);
                log("=== " + engine + " ===");
                try {
                    if (engine.equals("hnswlib")) {
                        Optional<String> python = HnswlibRunner.findPython();
                        if (python.isEmpty()) {
                            problems.put(engine, "skipped: no python3 with hnswlib and numpy (Debian: apt install python3-hnswlib)");
                            log("hnswlib " + problems.get(engine));
                            continue;
                        }
                        // One Python process builds and searches: no JIT to keep apart, so no search rounds.
                        built.addAll(HnswlibRunner.run(python.get(), specFile, spec, work,
                                VectorFiles.readIvecs(data.dir().resolve(BenchDataSets.TRUTH))));
                    } else {
                        built.addAll(runJvm(o, specFile, work.resolve("rows-" + engine + ".json"), work));
                        Path searchSpec = work.resolve("spec-" + engine + "-search.json");
                        JSON.writeValue(searchSpec.toFile(), spec.withPhase(RunSpec.SEARCH));
                        searchSpecs.put(engine, searchSpec);
                    }
                } catch (IOException e) {
                    problems.put(engine, e.getMessage());
                    log(engine + " failed: " + e.getMessage());
                }
                // Written after every step so that a long run interrupted later still leaves its results.
                ResultsWriter.write(out, built);
            }

            List<List<ResultRow>> rounds = new ArrayList<>();
            List<ResultRow> rows = built;
            for (int round = 1; round <= o.searchRounds(); round++) {
                List<ResultRow> searched = new ArrayList<>();
                for (Map.Entry<String, Path> e : searchSpecs.entrySet()) {
                    String engine = e.getKey();
                    if (problems.containsKey(engine)) {
                        continue;
                    }
                    log("=== " + engine + " search" + (o.searchRounds() > 1 ? ", round " + round + " of " + o.searchRounds() : "") + " ===");
                    try {
                        searched.addAll(runJvm(o, e.getValue(),
                                work.resolve("rows-" + engine + "-search-" + round + ".json"), work));
                    } catch (IOException failure) {
                        problems.put(engine, failure.getMessage());
                        log(engine + " failed: " + failure.getMessage());
                    }
                }
                rounds.add(searched);
                rows = new ArrayList<>(built);
                rows.addAll(SearchRounds.median(rounds));
                rows.sort(Comparator.comparingInt(r -> engineIndex(r, o.engines()))); // stable: in --engines order
                ResultsWriter.write(out, rows);
            }
            ResultsWriter.write(out, rows);
            if (!rows.isEmpty()) {
                RecallQpsPlot.write(out, rows, data, o);
            }
            return new Outcome(rows, problems);
        } finally {
            if (!o.keepIndexes()) {
                deleteRecursively(out.resolve("index"));
            }
        }
    }

    /** Where the engine of a row's variant (e.g. {@code jvector} for {@code jvector-disk}) is in {@code engines}. */
    private static int engineIndex(ResultRow row, List<String> engines) {
        for (int i = 0; i < engines.size(); i++) {
            String e = engines.get(i);
            if (row.engine().equals(e) || row.engine().startsWith(e + "-")) {
                return i;
            }
        }
        return engines.size();
    }

    /** The command line of an engine's JVM: the same java, the same flags and class path as every other engine. */
    static List<String> engineCommand(BenchOptions o, Path specFile, Path rowsFile) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(o.jvmOptions());
        cmd.add("--add-modules=jdk.incubator.vector");
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(EngineRun.class.getName());
        cmd.add(specFile.toString());
        cmd.add(rowsFile.toString());
        return cmd;
    }

    private static List<ResultRow> runJvm(BenchOptions o, Path specFile, Path rowsFile, Path work)
            throws IOException, InterruptedException {
        Files.deleteIfExists(rowsFile);
        Path stdout = work.resolve(rowsFile.getFileName().toString().replace(".json", ".stdout.log"));
        Process p = new ProcessBuilder(engineCommand(o, specFile, rowsFile))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .redirectOutput(stdout.toFile()).start();
        int rc = p.waitFor();
        if (rc != 0 || !Files.exists(rowsFile)) {
            throw new IOException("engine JVM exited with code " + rc + " (its stdout: " + stdout + ")");
        }
        return List.of(JSON.readValue(rowsFile.toFile(), ResultRow[].class));
    }

    private static void writeConfig(Path out, BenchOptions o, BenchDataSets.Prepared data) throws IOException {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("options", o);
        config.put("data", Map.of("source", data.source(), "n", data.n(), "dimension", data.dimension(),
                "queries", data.queries(), "metric", data.metric().name()));
        config.put("engineJvm", engineCommand(o, Path.of("SPEC.json"), Path.of("ROWS.json")).subList(0,
                o.jvmOptions().size() + 3));
        config.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        config.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        config.put("cpus", Runtime.getRuntime().availableProcessors());
        config.put("cpuModel", cpuModel());
        JSON.writeValue(out.resolve("config.json").toFile(), config);
    }

    private static String cpuModel() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("?");
        } catch (IOException | java.io.UncheckedIOException e) {
            return "?";
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    static void log(String line) {
        System.err.println(line);
        System.err.flush();
    }
}
