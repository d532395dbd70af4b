package io.mmgraph.bench.fuzz;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bounded fuzzing campaign CI runs (the long one is {@code mmgraph bench fuzz}, docs/reliability.md): every
 * damaged index either works or fails with a named IOException, on every path.
 */
class IndexFuzzerTest {
    @TempDir
    Path tmp;

    @Test
    @SuppressWarnings("unchecked")
    void damagedIndexesOnlyEverFailWithNamedExceptions() throws Exception {
        Map<String, Object> r = IndexFuzzer.run(tmp, 20261202L, 300, c -> { });
        assertEquals(0, r.get("failed"), "failures: " + r.get("failures"));
        Map<String, Integer> outcomes = (Map<String, Integer>) r.get("outcomes");
        // The campaign reaches every kind of end: damage refused at open, damage opened and then found by verify,
        // damage a writer refuses, and damage to bytes nothing reads, which leaves every path working.
        for (String expected : List.of("open: ok", "open: named", "verify: ok damage found", "verify: ok",
                "search-codes: ok", "open-writer: ok", "open-writer: named", "sync: ok")) {
            assertTrue(outcomes.getOrDefault(expected, 0) > 0, "no case ended '" + expected + "': " + outcomes);
        }
    }
}
