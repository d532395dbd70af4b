package io.mmgraph.store;

import io.mmgraph.TmpfsMount;
import io.mmgraph.format.VerifyReport;
import io.mmgraph.index.IndexOptions;
import io.mmgraph.index.MMapGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A full disk is a {@link DiskFullException} naming the file when an extent cannot be reserved — never a SIGBUS —
 * and the index stays valid up to what was stored. Runs on a small tmpfs, which needs Linux and root (as CI has).
 */
class DiskFullTest {
    @TempDir
    Path tmp;

    @Test
    void growthOnAFullFileSystemFailsCleanlyAndLosesNothing() throws Exception {
        try (TmpfsMount mount = TmpfsMount.mount(tmp.resolve("small-fs"), "3m")) {
            Path dir = mount.path().resolve("index");
            Random random = new Random(7);
            int stored = 0;
            int committed;
            // 128-d vectors, 1024 per extent: each vector extent is 512 KiB, so a 3 MiB disk fills within a few.
            try (MMapGraph index = MMapGraph.create(dir, IndexOptions.dimension(128).withExtentSlots(1024))) {
                DiskFullException full = null;
                for (int i = 0; i < 100_000 && full == null; i++) {
                    float[] v = new float[128];
                    for (int j = 0; j < v.length; j++) {
                        v[j] = random.nextFloat();
                    }
                    try {
                        index.add(v);
                        stored++;
                        if (stored % 500 == 0) {
                            index.sync();
                        }
                    } catch (DiskFullException e) {
                        full = e;
                    }
                }
                assertTrue(full != null, "the disk never filled");
                assertTrue(full.getMessage().contains(dir.toString()), full.getMessage());
                assertTrue(full.getMessage().contains("no space left"), full.getMessage());
                assertEquals(stored, index.size(), "a failed add publishes nothing");
                index.sync();
                committed = (int) index.committedCount();
            }
            assertEquals(stored, committed);
            try (MMapGraph reader = MMapGraph.openReadOnly(dir)) {
                assertEquals(stored, reader.committedCount());
                VerifyReport report = reader.verify();
                assertTrue(report.ok(), report.problems().toString());
            }
            // Still full: a writer reopens fine and fails the same clean way at its next growth.
            try (MMapGraph writer = MMapGraph.open(dir)) {
                assertThrows(DiskFullException.class, () -> {
                    for (int i = 0; i < 100_000; i++) {
                        writer.add(new float[128]);
                    }
                });
            }
        }
    }
}
