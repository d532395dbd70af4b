package io.mmgraph.index;

import io.mmgraph.TmpfsMount;
import io.mmgraph.dataset.SyntheticData;
import io.mmgraph.format.VerifyReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * An index on a read-only file system (a read-only medium, a snapshot, a container's read-only layer): readers open,
 * search and verify it, writing nothing; a writer is refused with an error that says why. (File permissions alone
 * cannot be tested as root, which CI is; a read-only mount binds root too.)
 */
class ReadOnlyFileSystemTest {
    @TempDir
    Path tmp;

    @Test
    void readersWorkAndAWriterIsRefusedWithTheReason() throws Exception {
        try (TmpfsMount mount = TmpfsMount.mount(tmp.resolve("ro-fs"), "16m")) {
            Path dir = mount.path().resolve("index");
            SyntheticData data = new SyntheticData(16, 10, 4);
            try (MMapGraph g = MMapGraph.create(dir, IndexOptions.dimension(16).withCodeBytes(4)
                    .withCodeTrainSize(500))) {
                g.addAll(Arrays.asList(data.bases(2_000)), 2);
            }
            assumeTrue(mount.remountReadOnly(), "the kernel refused a read-only remount");
            float[] q = data.queries(1)[0];
            try (MMapGraph reader = MMapGraph.openReadOnly(dir)) {
                assertEquals(2_000, reader.size());
                assertEquals(10, reader.search(q, SearchOptions.k(10)).neighbors().size(), "by codes");
                assertEquals(10, reader.search(q, SearchOptions.k(10).withoutCodes()).neighbors().size());
                VerifyReport report = reader.verify();
                assertTrue(report.ok(), report.problems().toString());
                assertTrue(!reader.refresh(), "nothing new, and refresh writes nothing");
            }
            try (MMapGraph direct = MMapGraph.openReadOnly(dir, VectorIo.DIRECT)) {
                assertEquals(10, direct.search(q, SearchOptions.k(10)).neighbors().size(), "direct I/O reads too");
            } catch (IOException e) {
                assertTrue(e.getMessage().contains("O_DIRECT") || e.getMessage().contains("direct"), e.toString());
            }
            IOException refused = assertThrows(IOException.class, () -> MMapGraph.open(dir));
            assertTrue(refused.getMessage().toLowerCase(java.util.Locale.ROOT).contains("read-only"),
                    "the error says why: " + refused);
        }
    }
}
