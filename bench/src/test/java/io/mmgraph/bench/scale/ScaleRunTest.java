package io.mmgraph.bench.scale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A small scale run end to end, under a real memory cgroup where the machine allows one (root, cgroup v1 or v2;
 * skipped elsewhere): the build and the reopened search run in children under the limit, the kernel's peak stays
 * within it, the reopened index holds every vector and finds the true neighbours, and a second run resumes from the
 * committed index instead of adding the vectors again.
 */
class ScaleRunTest {
    @TempDir
    Path tmp;

    private static boolean cgroupsAvailable() {
        try (MemoryCgroup probe = MemoryCgroup.create("mmgraph-probe-" + ProcessHandle.current().pid(), 256L << 20)) {
            return probe.limitBytes() > 0;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void buildsAndSearchesUnderALimitThenResumes() throws Exception {
        assumeTrue(cgroupsAvailable(), "needs a memory cgroup this process may create");
        long limit = 400L << 20;
        ScaleRun.Options o = new ScaleRun.Options(20_000, 32, limit, 128L << 20, 8, 5_000, 2, 50, 10,
                new int[] {64}, 5_000, tmp.resolve("out"), null, 7, "RANDOM", "mmap", List.of(), false, null);
        Map<String, Object> r = ScaleRun.run(o, x -> { });
        assertEquals(limit, ((Number) r.get("memoryLimitBytes")).longValue(), "the kernel holds the limit we set");
        long peak = ((Number) r.get("buildCgroupPeakBytes")).longValue();
        assertTrue(peak > 0 && peak <= limit, "build peak " + peak + " within " + limit);
        assertEquals(0L, ((Number) r.get("buildOomKills")).longValue());
        Map<String, Object> build = (Map<String, Object>) r.get("build");
        assertEquals(20_000, ((Number) build.get("added")).intValue());
        Map<String, Object> search = (Map<String, Object>) r.get("search");
        assertEquals(20_000, ((Number) search.get("count")).intValue());
        List<Map<String, Object>> passes = (List<Map<String, Object>>) search.get("passes");
        assertEquals("cold", passes.get(0).get("kind"));
        for (Map<String, Object> p : passes) {
            assertTrue(((Number) p.get("recall")).doubleValue() >= 0.9, "recall " + p);
        }
        assertTrue(Files.exists(tmp.resolve("out").resolve("scale.json")));
        // A small index is not twice the limit: the run is reported, not counted.
        assertEquals(false, r.get("counts"));

        Map<String, Object> again = ScaleRun.run(o, x -> { });
        Map<String, Object> resumed = (Map<String, Object>) again.get("build");
        assertEquals(20_000, ((Number) resumed.get("resumedFrom")).intValue(), "resumes after the last commit");
        assertEquals(0, ((Number) resumed.get("added")).intValue());

        // Another read path over the same index, reported beside the first run's reports.
        ScaleRun.Options other = new ScaleRun.Options(o.n(), o.dim(), limit, o.heap(), o.codeBytes(), o.trainSize(),
                o.threads(), o.queries(), o.k(), o.efs(), o.syncEvery(), o.out(), null, o.seed(), o.advice(), "direct",
                List.of("-Dmmgraph.rerankPrefetch=threads"), true, "direct");
        Map<String, Object> direct = ScaleRun.run(other, x -> { });
        assertEquals(null, direct.get("build"), "no build");
        assertEquals(List.of("-Dmmgraph.rerankPrefetch=threads"), direct.get("javaOptions"));
        for (Map<String, Object> p : (List<Map<String, Object>>) ((Map<String, Object>) direct.get("search")).get("passes")) {
            assertTrue(((Number) p.get("recall")).doubleValue() >= 0.9, "recall by direct I/O " + p);
        }
        assertTrue(Files.exists(tmp.resolve("out").resolve("scale-direct.json")));
        assertTrue(Files.exists(tmp.resolve("out").resolve("search-direct.json")));
        assertTrue(Files.exists(tmp.resolve("out").resolve("build.json")), "the build's report stays");
        assertEquals(null, direct.get("counts"), "a search alone does not make a run count");
        assertEquals(false, direct.get("searchWithinLimit"), "a small index is not twice the limit");

        // Searching with another seed's queries would score the index against the wrong truth: refused.
        ScaleRun.Options otherData = new ScaleRun.Options(o.n(), o.dim(), limit, o.heap(), o.codeBytes(),
                o.trainSize(), o.threads(), o.queries(), o.k(), o.efs(), o.syncEvery(), o.out(), null, o.seed() + 1,
                o.advice(), "mmap", List.of(), true, "seed8");
        IOException refused = assertThrows(IOException.class, () -> ScaleRun.run(otherData, x -> { }));
        assertTrue(refused.getMessage().contains("--search-only"), refused.getMessage());
    }
}
