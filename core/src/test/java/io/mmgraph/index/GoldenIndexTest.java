package io.mmgraph.index;

import io.mmgraph.format.FormatConstants;
import io.mmgraph.format.ManifestFile;
import io.mmgraph.format.VerifyReport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every released format version still opens: the golden index of each (src/test/resources/golden, README there) is
 * read bit for bit, verified and searched with today's code, and a copy takes writes (and is upgraded to the
 * current version where it is older).
 */
class GoldenIndexTest {
    static final int COUNT = 300;
    static final int DIM = 8;

    @TempDir
    Path tmp;

    static float[] vector(int i) {
        float[] v = new float[DIM];
        for (int j = 0; j < DIM; j++) {
            v[j] = ((i * 7919 + j * 104729) % 2003) / 1000f - 1f;
        }
        return v;
    }

    private Path copyOf(String version) throws IOException, URISyntaxException {
        Path golden = Path.of(GoldenIndexTest.class.getResource("/golden/" + version).toURI());
        Path copy = tmp.resolve(version);
        Files.createDirectories(copy);
        try (Stream<Path> files = Files.list(golden)) {
            for (Path f : files.toList()) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
        return copy;
    }

    private static int formatVersion(Path dir) throws IOException {
        return java.nio.ByteBuffer.wrap(Files.readAllBytes(FormatConstants.manifestPath(dir)), 0, 8)
                .order(FormatConstants.BYTE_ORDER).getInt(4);
    }

    /** The golden index of format 3 deleted vectors 3, 13, 23, …; the older ones deleted nothing. */
    static boolean deletedIn(int version, int i) {
        return version >= 3 && i % 10 == 3;
    }

    @ParameterizedTest
    @ValueSource(strings = {"v1", "v2", "v3", "v4"})
    void aGoldenIndexReadsBitForBitVerifiesSearchesAndTakesWrites(String version) throws Exception {
        Path dir = copyOf(version);
        int written = Integer.parseInt(version.substring(1));
        assertEquals(written, formatVersion(dir), "the golden file is what that version wrote");
        try (MMapGraph g = MMapGraph.openReadOnly(dir)) {
            assertEquals(COUNT, g.size());
            for (int i = 0; i < COUNT; i++) {
                assertArrayEquals(vector(i), g.vector(i), "vector " + i);
                assertEquals(deletedIn(written, i), g.isDeleted(i), "vector " + i + " deleted");
                // Format 4's golden index stored vector i as "id-i", with payload {"i":i} for even i.
                assertEquals(written >= 4 ? "id-" + i : null, g.id(i));
                assertEquals(written >= 4 && i % 2 == 0 ? "{\"i\":" + i + "}" : null, g.payload(i));
                if (written >= 4) {
                    assertEquals(deletedIn(written, i) ? -1 : i, g.get("id-" + i).map(Document::ordinal).orElse(-1));
                }
            }
            VerifyReport r = g.verify();
            assertTrue(r.ok(), r.problems().toString());
            for (int i = 0; i < COUNT; i += 7) {
                int found = g.search(vector(i), SearchOptions.k(1)).neighbors().getFirst().ordinal();
                if (deletedIn(written, i)) {
                    assertTrue(found != i && !deletedIn(written, found), version + ": deleted " + i + " found " + found);
                } else {
                    assertEquals(i, found, version + ": vector " + i + " finds itself");
                }
            }
        }
        assertEquals(written, formatVersion(dir), "reading changes nothing");
        try (MMapGraph early = MMapGraph.openReadOnly(dir)) { // opened before the writer upgrades the index
            try (MMapGraph w = MMapGraph.open(dir)) {
                for (int i = COUNT; i < COUNT + 50; i++) {
                    assertEquals(i, w.add(vector(i)));
                }
                assertTrue(w.delete(COUNT + 1), "an upgraded index takes deletions");
                assertTrue(w.delete(0));
                assertEquals(COUNT + 50, w.upsert("id-1", vector(COUNT + 50), "{\"new\":true}"),
                        "an upgraded index takes upserts");
            }
            assertTrue(early.refresh(), "a reader refreshes across the upgrade");
            assertEquals(COUNT + 51, early.size());
            assertEquals(new Document("id-1", COUNT + 50, "{\"new\":true}"), early.get("id-1").orElseThrow());
            assertEquals(written >= 4, early.isDeleted(1), "the upsert replaced vector 1 where it was id-1");
            assertTrue(early.isDeleted(0) && early.isDeleted(COUNT + 1));
            assertTrue(early.search(vector(0), SearchOptions.k(3)).neighbors().stream().noneMatch(x -> x.ordinal() == 0));
        }
        assertEquals(FormatConstants.FORMAT_VERSION, formatVersion(dir), "a writer upgrades the manifest");
        assertEquals(COUNT + 51, ManifestFile.read(FormatConstants.manifestPath(dir)).newest().committedCount());
        try (MMapGraph g = MMapGraph.openReadOnly(dir)) {
            assertTrue(g.verify().ok());
            for (int i = 0; i < COUNT + 50; i += 11) {
                assertArrayEquals(vector(i), g.vector(i), "vector " + i + " after the writes");
            }
            assertTrue(g.isDeleted(0) && g.isDeleted(COUNT + 1) && !g.isDeleted(COUNT + 2));
            assertEquals((written >= 3 ? 32 : 2) + (written >= 4 ? 1 : 0), g.deletedCount());
            assertEquals("{\"new\":true}", g.get("id-1").orElseThrow().payload());
            assertTrue(g.search(vector(0), SearchOptions.k(5)).neighbors().stream().noneMatch(n -> n.ordinal() == 0));
        }
    }
}
