package io.mmgraph.index;

import io.mmgraph.TestSeeds;
import io.mmgraph.TestVectors;
import io.mmgraph.format.VerifyReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A reader opened on a cleanly closed commit keeps a correct check after a writer reopens the index and rewrites
 * committed lists in place with edges to newer nodes: those ids are past the reader's commit, not damage.
 */
class StaleReaderVerifyTest {
    @TempDir
    Path tmp;

    @Test
    void aReaderOnAnOlderCleanCommitDoesNotReportNewerEdgesAsDamage() throws Exception {
        Random r = TestSeeds.random("StaleReaderVerifyTest");
        long seed = r.nextLong();
        Path dir = tmp.resolve("idx");
        int dim = 16;
        try (MMapGraph w = MMapGraph.create(dir, IndexOptions.dimension(dim))) {
            for (int i = 0; i < 2000; i++) {
                w.add(TestVectors.vector(seed, i, dim));
            }
        }
        try (MMapGraph reader = MMapGraph.openReadOnly(dir)) {
            assertTrue(reader.verify().ok(), "clean before any writer");
            try (MMapGraph w = MMapGraph.open(dir)) {
                for (int i = 2000; i < 2500; i++) {
                    w.add(TestVectors.vector(seed, i, dim));
                }
                VerifyReport during = reader.verify();
                assertTrue(during.ok(), "while the writer is open: " + during.problems());
            }
            VerifyReport after = reader.verify();
            assertTrue(after.ok(), "after the writer closed, before refresh: " + after.problems());
            reader.refresh();
            assertTrue(reader.verify().ok(), "after refresh");
        }
    }
}
