package io.mmgraph.index;

import io.mmgraph.dataset.SyntheticData;
import io.mmgraph.format.CodeRecords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A reader's copy of the codes in memory: byte for byte the file's codes, across the file's blocks and its own
 * chunks; a load after a refresh copies what is new; searches by the copy find what searches by the file find.
 */
class CodesInMemoryTest {
    static final int DIM = 48;
    static final int CODE_BYTES = 12; // 341 codes per 4 KiB block: runs end inside chunks, chunks inside blocks

    @TempDir
    Path tmp;

    private static IndexOptions options() {
        return IndexOptions.dimension(DIM).withCodeBytes(CODE_BYTES).withCodeTrainSize(500).withExtentSlots(512)
                .withMaxDegree(12).withBuildBeamWidth(32);
    }

    private static void assertSameCodes(CodeRecords file, CodesInMemory copy, long count) {
        byte[] expected = new byte[CODE_BYTES];
        byte[] actual = new byte[CODE_BYTES];
        for (long ord = 0; ord < count; ord++) {
            file.read(ord, expected);
            MemorySegment.copy(copy.segmentOf(ord), ValueLayout.JAVA_BYTE, copy.offsetOf(ord), actual, 0, CODE_BYTES);
            assertArrayEquals(expected, actual, "code of " + ord);
        }
    }

    @Test
    void aCopyHoldsTheFilesCodesAndLoadsWhatARefreshAdds() throws IOException {
        Path dir = tmp.resolve("idx");
        float[][] data = new SyntheticData(DIM, 20, 5).bases(1_900);
        try (MMapGraph writer = MMapGraph.create(dir, options())) {
            for (int i = 0; i < 1_000; i++) {
                writer.add(data[i]);
            }
            writer.sync();
            try (MMapGraph reader = MMapGraph.openReadOnly(dir);
                 CodesInMemory copy = new CodesInMemory(reader.files().codes(), 7, true)) {
                copy.load(700);
                assertEquals(700, copy.loaded());
                assertSameCodes(reader.files().codes(), copy, 700);
                copy.load(300); // already there: nothing to do
                assertEquals(700, copy.loaded());

                for (int i = 1_000; i < data.length; i++) {
                    writer.add(data[i]);
                }
                writer.sync();
                reader.refresh();
                copy.load(data.length);
                assertEquals(data.length, copy.loaded());
                assertSameCodes(reader.files().codes(), copy, data.length);

                copy.close();
                assertThrows(IllegalStateException.class, () -> copy.segmentOf(0).get(ValueLayout.JAVA_BYTE, 0));
            }
        }
    }

    /** A reader's copy drops the file's pages from the page cache (where no other process maps them). */
    @Test
    void aReadersCopyLeavesTheCodesFileOutOfThePageCache() throws IOException {
        Path dir = tmp.resolve("idx");
        assumeTrue(!java.nio.file.Files.getFileStore(tmp).type().equals("tmpfs"), "tmpfs pages cannot be evicted");
        try (MMapGraph writer = MMapGraph.create(dir, options())) {
            writer.addAll(java.util.Arrays.asList(new SyntheticData(DIM, 20, 9).bases(3_000)), 2);
        }
        try (MMapGraph reader = MMapGraph.openReadOnly(dir);
             CodesInMemory copy = new CodesInMemory(reader.files().codes(), true)) {
            reader.files().codes().file().load(3_000, x -> { }); // resident, and mapped by this reader
            copy.load(3_000);
            io.mmgraph.store.Residency left = reader.files().codes().file().residency(3_000);
            assumeTrue(left.known(), "mincore");
            assertTrue(left.residentBytes() <= 4096, "the copied file's pages were dropped: " + left);
            assertSameCodes(reader.files().codes(), copy, 3_000); // and the copy holds them all
        }
    }

    @Test
    void aReaderWalkingItsCopyFindsWhatTheWriterWalkingTheFileFinds() throws IOException {
        Path dir = tmp.resolve("idx");
        SyntheticData source = new SyntheticData(DIM, 20, 6);
        float[][] data = source.bases(1_500);
        float[][] queries = source.queries(20);
        int[][] nodes = new int[queries.length][10];
        float[][] distances = new float[queries.length][10];
        try (MMapGraph writer = MMapGraph.create(dir, options())) {
            for (float[] v : data) {
                writer.add(v);
            }
            writer.sync();
            for (int i = 0; i < queries.length; i++) {
                assertEquals(10, writer.search(queries[i], 10, 40, nodes[i], distances[i]));
            }
        }
        try (MMapGraph reader = MMapGraph.openReadOnly(dir)) {
            for (int i = 0; i < queries.length; i++) {
                int[] n = new int[10];
                float[] d = new float[10];
                assertEquals(10, reader.search(queries[i], 10, 40, n, d));
                SameResults.assertSame(nodes[i], distances[i], n, d,
                        "query " + i + (MMapGraph.CODES_IN_MEMORY ? " (reader by its copy)" : " (copy turned off)"));
            }
        }
    }
}
