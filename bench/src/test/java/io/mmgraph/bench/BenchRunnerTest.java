package io.mmgraph.bench;

import io.mmgraph.vector.Metric;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The whole harness at toy size: engine JVMs are started for real, and every output file is checked. */
class BenchRunnerTest {
    @TempDir
    Path out;

    @Test
    void runsEachEngineInItsOwnJvmAndWritesJsonCsvAndPlots() throws IOException, InterruptedException {
        BenchOptions o = new BenchOptions(null, 3000, 16, 50, Metric.L2, List.of("mmgraph", "exact"), 10, 2,
                List.of(5, 10, 60), 16, 40, 1.2f, out, List.of("-Xmx512m"), 1, 0.05, 3, false, 2);
        BenchRunner.Outcome outcome = BenchRunner.run(o);
        assertTrue(outcome.problems().isEmpty(), outcome.problems().toString());

        List<ResultRow> rows = ResultsWriter.read(out);
        assertEquals(outcome.rows(), rows);
        List<ResultRow> mm = rows.stream().filter(r -> r.engine().equals("mmgraph")).toList();
        // Efforts below k are raised to k and deduplicated: 5 and 10 collapse into one point.
        assertEquals(List.of(10, 60), mm.stream().map(ResultRow::param).toList());
        ResultRow exact = rows.stream().filter(r -> r.engine().equals("exact")).findFirst().orElseThrow();
        assertEquals(1.0, exact.recall(), 1e-9, "brute force scored against the same truth");
        assertTrue(mm.get(1).recall() >= 0.9, "mmgraph recall at ef 60: " + mm.get(1).recall());
        assertTrue(mm.get(1).recall() >= mm.get(0).recall() - 0.02, "more effort, not worse recall");
        for (ResultRow r : rows) {
            assertTrue(r.qps() > 0 && r.qpsThreads() > 0, r.toString());
            assertTrue(r.p99Micros() >= r.p50Micros(), r.toString());
            assertEquals(3000, r.n());
            assertEquals(16, r.dimension());
            assertEquals(2, r.threads());
            assertFalse(r.simd().isBlank());
        }
        assertTrue(mm.get(0).indexBytes() > 3000L * 16 * 4, "the mapped index holds at least the vectors");
        assertTrue(mm.get(0).heapPeakBytes() > 0);
        assertTrue(mm.get(0).visitedPerQuery() >= 10 && mm.get(0).visitedPerQuery() < 3000, "mmgraph counts its distances");
        assertEquals(-1, exact.visitedPerQuery(), "exact does not report visits");
        assertTrue(mm.get(0).buildRssPeakBytes() > 0 && mm.get(0).buildHeapPeakBytes() > 0, "the build's peaks are kept");

        // The persisted index is searched by a second, fresh JVM; the in-memory exact scan by the build's JVM.
        Path work = out.resolve("work");
        assertTrue(Files.readString(work.resolve("rows-mmgraph.json")).replaceAll("\\s", "").equals("[]"),
                "the build JVM searched no persisted variant");
        // Two search rounds, each in its own JVM; the rows hold one point per effort (their median).
        assertTrue(Files.readString(work.resolve("rows-mmgraph-search-1.json")).contains("\"mmgraph\""));
        assertTrue(Files.readString(work.resolve("rows-mmgraph-search-2.json")).contains("\"mmgraph\""));
        assertTrue(Files.readString(work.resolve("rows-exact.json")).contains("\"exact\""));
        assertTrue(Files.readString(work.resolve("build-mmgraph.json")).contains("buildSeconds"));

        List<String> csv = Files.readAllLines(out.resolve(ResultsWriter.CSV_FILE));
        assertEquals(ResultRow.csvHeader(), csv.get(0));
        assertEquals(rows.size() + 1, csv.size());
        assertTrue(csv.get(1).startsWith("mmgraph,ef,10,10,"), csv.get(1));

        for (String png : List.of(RecallQpsPlot.SINGLE_THREAD_PNG, RecallQpsPlot.ALL_THREADS_PNG)) {
            try (InputStream in = Files.newInputStream(out.resolve(png))) {
                assertArrayEquals(new byte[]{(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(in.readNBytes(4), 4), png);
            }
        }
        String config = Files.readString(out.resolve("config.json"));
        assertTrue(config.contains("\"degree\" : 16") && config.contains("-Xmx512m"), config);
        assertFalse(Files.exists(out.resolve("index").resolve("mmgraph")), "indexes are deleted unless kept");
    }

    @Test
    void unknownEngineFailsBeforeAnythingRuns() {
        BenchOptions o = new BenchOptions(null, 100, 4, 5, Metric.L2, List.of("mmgraph", "faiss"), 10, 1,
                List.of(10), 16, 40, 1.2f, out, List.of(), 1, 0.01, 3, false, 1);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> BenchRunner.run(o));
        assertTrue(e.getMessage().contains("faiss"), e.getMessage());
        assertFalse(Files.exists(out.resolve("data")), "nothing generated for a misspelt engine");
    }
}
