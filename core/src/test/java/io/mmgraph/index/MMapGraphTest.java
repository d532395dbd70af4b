package io.mmgraph.index;

import io.mmgraph.TestSeeds;
import io.mmgraph.TestVectors;
import io.mmgraph.format.FileKind;
import io.mmgraph.format.FormatConstants;
import io.mmgraph.format.IndexFiles;
import io.mmgraph.format.ManifestFile;
import io.mmgraph.store.MapMode;
import io.mmgraph.vector.Kernels;
import io.mmgraph.vector.Metric;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The facade's lifecycle and contracts: round trips, published vs committed, validation, read-only, close. */
class MMapGraphTest {
    @TempDir
    Path tmp;


    /** Random vectors with the awkward floats mixed in: -0.0, subnormals, the extremes. */
    private static List<float[]> awkwardVectors(Random r, int n, int dim) {
        float[] specials = {-0.0f, 0.0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE,
                -Float.MAX_VALUE, 1e-40f, Math.nextUp(1f), (float) Math.PI};
        List<float[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] v = new float[dim];
            for (int j = 0; j < dim; j++) {
                v[j] = r.nextInt(10) == 0 ? specials[r.nextInt(specials.length)] : Float.intBitsToFloat(
                        (r.nextInt(0xFF - 2) + 1) << 23 | r.nextInt(1 << 23) | (r.nextBoolean() ? 1 << 31 : 0));
            }
            out.add(v);
        }
        return out;
    }

    @Test
    void roundTripIsBitExactAcrossReopen() throws IOException {
        Random r = TestSeeds.random("MMapGraphTest.roundTripIsBitExactAcrossReopen");
        Path dir = tmp.resolve("idx");
        int dim = 33;
        IndexOptions options = IndexOptions.dimension(dim).withExtentSlots(64).withMaxDegree(8);
        List<float[]> vectors = awkwardVectors(r, 1500, dim);
        try (MMapGraph g = MMapGraph.create(dir, options)) {
            assertEquals(0, g.size());
            assertEquals(dim, g.dimension());
            assertEquals(Metric.L2, g.metric());
            assertEquals(8, g.maxDegree());
            assertFalse(g.isReadOnly());
            assertFalse(g.recoveredFromUncleanShutdown());
            for (int i = 0; i < vectors.size(); i++) {
                assertEquals(i, g.add(vectors.get(i)));
                if (i % 500 == 499) {
                    g.sync();
                }
            }
            assertEquals(1500, g.size());
            assertEquals(1500, g.committedCount());
            for (int i = 0; i < vectors.size(); i++) {
                assertArrayEquals(TestVectors.bits(vectors.get(i)), TestVectors.bits(g.vector(i)), "vector " + i + " before close");
            }
            // 1500 vectors of 132 bytes, 496 per 64 KiB extent: the vector file grew through 4 extents.
            IndexStats s = g.stats();
            int expectedExtents = 0;
            for (FileKind kind : io.mmgraph.format.IndexFiles.kinds(0)) {
                expectedExtents += IndexFiles.layout(kind, dim, 8, 64).extentsFor(kind == FileKind.DELETES || kind == FileKind.DOCS ? 0 : 1500);
            }
            assertEquals(4, IndexFiles.layout(FileKind.VECTORS, dim, 8, 64).extentsFor(1500));
            assertEquals(expectedExtents, s.mappedExtents());
            assertEquals(1500, s.count());
        }
        for (boolean readOnly : new boolean[] {true, false}) {
            try (MMapGraph g = readOnly ? MMapGraph.openReadOnly(dir) : MMapGraph.open(dir)) {
                assertEquals(readOnly, g.isReadOnly());
                assertEquals(1500, g.size());
                assertEquals(1500, g.committedCount());
                assertFalse(g.recoveredFromUncleanShutdown(), "closed cleanly");
                for (int i = 0; i < vectors.size(); i++) {
                    assertArrayEquals(TestVectors.bits(vectors.get(i)), TestVectors.bits(g.vector(i)), "vector " + i + " after reopen");
                }
                io.mmgraph.format.VerifyReport report = g.verify();
                assertTrue(report.ok(), report.problems().toString());
                IndexStats s = g.stats();
                assertEquals(readOnly ? "read_only" : "read_write", s.mode());
                assertEquals(Kernels.get().name(), s.kernels());
                long committedVectors = IndexFiles.layout(FileKind.VECTORS, dim, 8, 64).lengthFor(1500);
                assertTrue(s.fileBytes().get(FileKind.VECTORS.fileName()) >= committedVectors);
                assertThrows(IndexOutOfBoundsException.class, () -> g.vector(1500));
                assertThrows(IndexOutOfBoundsException.class, () -> g.vector(-1));
            }
        }
        // A PRIVATE (copy-on-write) reader sees the same bytes.
        try (MMapGraph g = MMapGraph.openReadOnly(dir, MapMode.PRIVATE)) {
            assertArrayEquals(TestVectors.bits(vectors.get(1499)), TestVectors.bits(g.vector(1499)));
        }
        assertThrows(IllegalArgumentException.class, () -> MMapGraph.openReadOnly(dir, MapMode.READ_WRITE));
    }

    @Test
    void cosineStoresNormalizedAndDotStoresAsGiven() throws IOException {
        Random r = TestSeeds.random("MMapGraphTest.cosineStoresNormalizedAndDotStoresAsGiven");
        for (Metric metric : new Metric[] {Metric.COSINE, Metric.DOT}) {
            Path dir = tmp.resolve(metric.toString());
            List<float[]> vectors = new ArrayList<>();
            try (MMapGraph g = MMapGraph.create(dir, IndexOptions.dimension(17).withMetric(metric).withExtentSlots(64))) {
                for (int i = 0; i < 300; i++) {
                    float[] v = TestVectors.vector(r.nextLong(), i, 17);
                    vectors.add(v);
                    g.add(v);
                }
            }
            try (MMapGraph g = MMapGraph.openReadOnly(dir)) {
                assertEquals(metric, g.metric());
                for (int i = 0; i < vectors.size(); i++) {
                    float[] expected = vectors.get(i).clone();
                    if (metric == Metric.COSINE) {
                        Kernels.normalize(expected);
                    }
                    assertArrayEquals(TestVectors.bits(expected), TestVectors.bits(g.vector(i)), metric + " vector " + i);
                }
            }
        }
    }

    @Test
    void readerSeesOnlyCommittedUntilRefresh() throws IOException {
        Random r = TestSeeds.random("MMapGraphTest.readerSeesOnlyCommittedUntilRefresh");
        Path dir = tmp.resolve("idx");
        int dim = 8;
        try (MMapGraph writer = MMapGraph.create(dir, IndexOptions.dimension(dim).withExtentSlots(64))) {
            long seed = r.nextLong();
            for (int i = 0; i < 150; i++) {
                writer.add(TestVectors.vector(seed, i, dim));
            }
            writer.sync();
            for (int i = 150; i < 220; i++) {
                writer.add(TestVectors.vector(seed, i, dim));
            }
            assertEquals(220, writer.size());
            assertEquals(150, writer.committedCount());
            assertFalse(writer.refresh(), "a writer is always current");

            try (MMapGraph reader = MMapGraph.openReadOnly(dir)) {
                assertTrue(reader.isReadOnly());
                assertEquals(150, reader.committedCount());
                assertEquals(150, reader.size());
                List<Neighbor> all = reader.search(TestVectors.vector(seed, 200, dim), SearchOptions.k(1000).exactSearch()).neighbors();
                assertEquals(150, all.size());
                assertTrue(all.stream().allMatch(n -> n.ordinal() < 150), "reader returned an uncommitted id");
                assertThrows(IndexOutOfBoundsException.class, () -> reader.vector(150));
                assertFalse(reader.refresh(), "nothing committed since open");

                // The writer's own searches see everything published.
                assertEquals(220, writer.search(TestVectors.vector(seed, 200, dim), SearchOptions.k(1000).exactSearch()).neighbors().size());
                assertEquals(200, writer.search(TestVectors.vector(seed, 200, dim), 1).getFirst().ordinal());

                writer.sync();
                assertEquals(150, reader.size(), "a reader moves only on refresh");
                assertTrue(reader.refresh());
                assertEquals(220, reader.size());
                assertEquals(220, reader.committedCount());
                assertEquals(200, reader.search(TestVectors.vector(seed, 200, dim), 1).getFirst().ordinal());
                for (int i = 0; i < 220; i++) {
                    assertArrayEquals(TestVectors.bits(writer.vector(i)), TestVectors.bits(reader.vector(i)));
                }

                // Growth over new extents reaches the reader through refresh too.
                int extentsBefore = reader.stats().mappedExtents();
                for (int i = 220; i < 2000; i++) {
                    writer.add(TestVectors.vector(seed, i, dim));
                }
                writer.sync();
                assertTrue(reader.refresh());
                assertEquals(2000, reader.size());
                assertTrue(reader.stats().mappedExtents() > extentsBefore);
                assertArrayEquals(TestVectors.bits(TestVectors.vector(seed, 1999, dim)), TestVectors.bits(reader.vector(1999)));
                assertTrue(reader.verify().ok());
            }
        }
    }

    @Test
    void invalidVectorsAreRefusedAndChangeNothing() throws IOException {
        for (Metric metric : Metric.values()) {
            Path dir = tmp.resolve("idx-" + metric);
            try (MMapGraph g = MMapGraph.create(dir, IndexOptions.dimension(4).withMetric(metric))) {
                g.add(new float[] {1, 2, 3, 4});
                g.sync();
                g.add(new float[] {4, 3, 2, 1});
                for (float[] wrong : new float[][] {{}, {1, 2, 3}, {1, 2, 3, 4, 5}}) {
                    DimensionMismatchException e = assertThrows(DimensionMismatchException.class, () -> g.add(wrong));
                    assertEquals(4, e.expected());
                    assertEquals(wrong.length, e.actual());
                    assertThrows(DimensionMismatchException.class, () -> g.search(wrong, 1));
                }
                for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
                    for (int at = 0; at < 4; at++) {
                        float[] v = {1, 1, 1, 1};
                        v[at] = bad;
                        InvalidVectorException e = assertThrows(InvalidVectorException.class, () -> g.add(v));
                        assertTrue(e.getMessage().contains("component " + at), e.getMessage());
                        assertThrows(InvalidVectorException.class, () -> g.search(v, 1));
                    }
                }
                assertThrows(InvalidVectorException.class, () -> g.add(null));
                assertThrows(InvalidVectorException.class, () -> g.search(null, 1));
                assertThrows(IllegalArgumentException.class, () -> g.search(new float[] {1, 2, 3, 4}, 0));
                float[] zero = new float[4];
                if (metric == Metric.COSINE) {
                    assertThrows(InvalidVectorException.class, () -> g.add(zero));
                    assertThrows(InvalidVectorException.class, () -> g.search(zero, 1));
                }
                assertEquals(2, g.size(), metric + ": a refused vector must not be published");
                assertEquals(1, g.committedCount());
                // No ordinal was used up.
                assertEquals(2, g.add(new float[] {1, 0, 0, 0}));
                if (metric != Metric.COSINE) {
                    assertEquals(3, g.add(zero));
                }
                assertTrue(g.verify().ok());
            }
        }
    }

    @Test
    void optionsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> IndexOptions.dimension(0));
        assertThrows(IllegalArgumentException.class, () -> IndexOptions.dimension(FormatConstants.MAX_DIMENSION + 1));
        assertThrows(IllegalArgumentException.class, () -> IndexOptions.dimension(4).withMaxDegree(0));
        assertThrows(IllegalArgumentException.class, () -> IndexOptions.dimension(4).withExtentSlots(0));
        assertThrows(IllegalArgumentException.class, () -> IndexOptions.dimension(4).withMetric(null));
    }

    @Test
    void readOnlyIndexRefusesWrites() throws IOException {
        Path dir = tmp.resolve("idx");
        try (MMapGraph g = MMapGraph.create(dir, IndexOptions.dimension(3))) {
            g.add(new float[] {1, 2, 3});
        }
        try (MMapGraph g = MMapGraph.openReadOnly(dir)) {
            assertThrows(ReadOnlyIndexException.class, () -> g.add(new float[] {1, 2, 3}));
            assertThrows(ReadOnlyIndexException.class, g::sync);
            assertEquals(1, g.size());
            assertEquals(0, g.search(new float[] {1, 2, 3}, 5).getFirst().ordinal());
        }
        try (MMapGraph g = MMapGraph.openReadOnly(dir, MapMode.PRIVATE)) {
            assertThrows(ReadOnlyIndexException.class, () -> g.add(new float[] {1, 2, 3}));
        }
    }

    @Test
    void everyMethodFailsAfterCloseAndCloseIsIdempotent() throws IOException {
        Path dir = tmp.resolve("idx");
        MMapGraph writer = MMapGraph.create(dir, IndexOptions.dimension(3).withExtentSlots(64));
        writer.add(new float[] {1, 2, 3});
        writer.close();
        MMapGraph reader = MMapGraph.openReadOnly(dir);
        reader.close();
        for (MMapGraph g : new MMapGraph[] {writer, reader}) {
            assertThrows(IndexClosedException.class, () -> g.add(new float[] {1, 2, 3}));
            assertThrows(IndexClosedException.class, () -> g.search(new float[] {1, 2, 3}, 1));
            assertThrows(IndexClosedException.class, () -> g.vector(0));
            assertThrows(IndexClosedException.class, g::sync);
            assertThrows(IndexClosedException.class, g::stats);
            assertThrows(IndexClosedException.class, g::verify);
            assertThrows(IndexClosedException.class, g::refresh);
            assertThrows(IndexClosedException.class, () -> g.advise(io.mmgraph.store.AccessHint.RANDOM));
            assertDoesNotThrow(g::close);
            assertDoesNotThrow(g::close);
        }
        // The writer's close committed and released the lock: a new writer gets in and sees the vector.
        try (MMapGraph g = MMapGraph.open(dir)) {
            assertEquals(1, g.size());
        }
    }

    @Test
    void createOnAnExistingIndexFails() throws IOException {
        Path dir = tmp.resolve("idx");
        try (MMapGraph g = MMapGraph.create(dir, IndexOptions.dimension(3))) {
            g.add(new float[] {1, 2, 3});
            assertThrows(FileAlreadyExistsException.class, () -> MMapGraph.create(dir, IndexOptions.dimension(3)));
            g.add(new float[] {1, 2, 4}); // the refused create did not disturb the writer
        }
        assertThrows(FileAlreadyExistsException.class, () -> MMapGraph.create(dir, IndexOptions.dimension(5)));
        try (MMapGraph g = MMapGraph.openReadOnly(dir)) {
            assertEquals(2, g.size());
            assertEquals(3, g.dimension());
        }
    }

    @Test
    void openWithoutAnIndexFails() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Path missing = tmp.resolve("missing");
        for (Path dir : new Path[] {empty, missing}) {
            assertThrows(IndexNotFoundException.class, () -> MMapGraph.open(dir));
            assertThrows(IndexNotFoundException.class, () -> MMapGraph.openReadOnly(dir));
        }
        assertFalse(Files.exists(missing), "a failed open must not create the directory");
        try (var files = Files.list(empty)) {
            assertEquals(0, files.count(), "a failed open must not leave files behind");
        }
    }

    @Test
    void emptyIndexSearchesToNothing() throws IOException {
        Path dir = tmp.resolve("idx");
        try (MMapGraph g = MMapGraph.create(dir, IndexOptions.dimension(3))) {
            assertTrue(g.search(new float[] {1, 2, 3}, 10).isEmpty());
            assertTrue(g.verify().ok());
            assertEquals(0, g.stats().count());
        }
        try (MMapGraph g = MMapGraph.openReadOnly(dir)) {
            assertEquals(0, g.size());
            assertTrue(g.search(new float[] {1, 2, 3}, 10).isEmpty());
            assertTrue(g.verify().ok());
        }
        assertEquals(0, ManifestFile.read(FormatConstants.manifestPath(dir)).newest().committedCount());
    }
}
