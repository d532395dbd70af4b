package io.mmgraph.index;

import io.mmgraph.TestVectors;
import io.mmgraph.format.FormatConstants;
import io.mmgraph.format.IndexFiles;
import io.mmgraph.format.Manifest;
import io.mmgraph.format.ManifestFile;
import io.mmgraph.store.MapMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Nodes no search can reach are found by a walk over every list, and linked again. */
class ReachabilityTest {
    private static final int DIM = 16;

    @TempDir
    Path tmp;

    @Test
    void aNodeWhoseInEdgesWereAllLostIsFoundAndLinkedAgain() throws IOException {
        Path dir = tmp.resolve("idx");
        int n = 600;
        int lost = 123;
        try (MMapGraph w = MMapGraph.create(dir, IndexOptions.dimension(DIM).withExtentSlots(256))) {
            for (int i = 0; i < n; i++) {
                w.add(TestVectors.vector(21, i, DIM));
            }
            assertArrayEquals(new int[0], w.unreachable(), "a freshly built graph reaches every node");
        }
        // Take node 123 out of every list, as pruning could have: nothing leads to it any more.
        Manifest m = ManifestFile.read(FormatConstants.manifestPath(dir)).newest();
        try (IndexFiles files = IndexFiles.open(dir, m, MapMode.READ_WRITE)) {
            int[] ids = new int[m.maxDegree()];
            for (int ord = 0; ord < n; ord++) {
                int d = files.lists().read(ord, ids, n);
                int kept = 0;
                for (int i = 0; i < d; i++) {
                    if (ids[i] != lost) {
                        ids[kept++] = ids[i];
                    }
                }
                files.lists().write(ord, ids, kept);
            }
            files.lists().file().forceAll();
        }
        try (MMapGraph w = MMapGraph.open(dir)) {
            assertArrayEquals(new int[] {lost}, w.unreachable());
            assertEquals(1, w.linkUnreachable(2));
            assertArrayEquals(new int[0], w.unreachable());
            assertEquals(lost, w.search(TestVectors.vector(21, lost, DIM), 1).get(0).ordinal());
        }
        try (MMapGraph r = MMapGraph.openReadOnly(dir)) {
            assertArrayEquals(new int[0], r.unreachable(), "the lists it changed were committed");
        }
        // Consolidation cuts every edge to deleted nodes on purpose: they are not reported, nor linked back.
        try (MMapGraph w = MMapGraph.open(dir)) {
            for (int ord = 0; ord < n; ord += 10) {
                w.delete(ord);
            }
            w.consolidate();
            assertArrayEquals(new int[0], w.unreachable());
            assertEquals(0, w.linkUnreachable(2));
        }
    }
}
