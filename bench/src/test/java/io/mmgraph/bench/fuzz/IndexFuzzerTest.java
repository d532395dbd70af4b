package io.mmgraph.bench.fuzz;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
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
        // The campaign reaches past the checksums: damage is found at open, at search and by verify, and some
        // damage (to bytes nothing reads) leaves every path working.
        assertTrue(outcomes.getOrDefault("open", 0) > 0, "opened some: " + outcomes);
        assertTrue(outcomes.getOrDefault("verify", 0) > 0, "verified some: " + outcomes);
        assertTrue(outcomes.getOrDefault("open-writer", 0) > 0, "wrote to some: " + outcomes);
    }
}
