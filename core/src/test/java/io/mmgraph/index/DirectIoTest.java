package io.mmgraph.index;

import io.mmgraph.TestSeeds;
import io.mmgraph.dataset.SyntheticData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The direct-I/O reader returns what the mapped one returns — the same ordinals, the same distances to float precision —
 * for every query, cold and with its cache warm.
 */
class DirectIoTest {
    @TempDir
    Path tmp;

    @Test
    void directReadsGiveTheMappedReadersResults() throws IOException {
        assumeTrue(!Files.getFileStore(tmp).type().equals("tmpfs"), "direct I/O needs a disk file system");
        long seed = TestSeeds.seed("direct-io");
        SyntheticData data = new SyntheticData(24, 30, seed);
        Path dir = tmp.resolve("idx");
        try (MMapGraph g = MMapGraph.create(dir, IndexOptions.dimension(24).withCodeBytes(6).withCodeTrainSize(500)
                .withExtentSlots(1024))) {
            g.addAll(Arrays.asList(data.bases(3_000)), 2);
        }
        float[][] queries = data.queries(60);
        try (MMapGraph mapped = MMapGraph.openReadOnly(dir);
             MMapGraph direct = MMapGraph.openReadOnly(dir, VectorIo.DIRECT)) {
            for (int pass = 0; pass < 2; pass++) { // the second pass is served mostly from the cache
                for (float[] q : queries) {
                    int[] a = new int[10];
                    int[] b = new int[10];
                    float[] da = new float[10];
                    float[] db = new float[10];
                    assertEquals(10, mapped.search(q, 10, 40, a, da));
                    assertEquals(10, direct.search(q, 10, 40, b, db));
                    SameResults.assertSame(a, da, b, db, "direct against mapped");
                    assertEquals(mapped.search(q, SearchOptions.k(5)).neighbors().stream().map(Neighbor::ordinal).toList(),
                            direct.search(q, SearchOptions.k(5)).neighbors().stream().map(Neighbor::ordinal).toList());
                }
            }
        }
    }
}
