package io.mmgraph.index;

import io.mmgraph.TestSeeds;
import io.mmgraph.format.FileKind;
import io.mmgraph.format.FormatConstants;
import io.mmgraph.format.SlotLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A flipped bit anywhere below a file's committed length is detected: opening fails with a named IOException, or
 * {@code verify()} reports the damage, naming the file (docs/reliability.md, "Damage"). Offsets are stratified over
 * every structure of every file — both manifest copies, each header's fields, zeros and checksum, the prologue
 * padding, the records of every extent, the padding after the records of each block — and the strata are checked
 * to tile each file's committed bytes exactly, so no byte is out of reach.
 */
class BitFlipTest {
    private static final int MIN_FLIPS = 1200;

    @TempDir
    Path tmp;

    /** A named set of byte ranges [start, end) of one file. */
    record Region(String name, String file, List<long[]> ranges) {
        long size() {
            long s = 0;
            for (long[] r : ranges) {
                s += r[1] - r[0];
            }
            return s;
        }

        long pick(Random r) {
            long p = (long) (r.nextDouble() * size());
            for (long[] range : ranges) {
                long len = range[1] - range[0];
                if (p < len) {
                    return range[0] + p;
                }
                p -= len;
            }
            throw new AssertionError();
        }
    }

    private static List<long[]> range(long start, long end) {
        List<long[]> l = new ArrayList<>();
        l.add(new long[] {start, end});
        return l;
    }

    private static List<Region> regions(Path dir) throws IOException {
        List<Region> out = new ArrayList<>();
        String mf = FormatConstants.MANIFEST_FILE;
        int fileTableEnd = 96 + 16 * io.mmgraph.format.IndexFiles.kinds(0).size();
        for (String copy : new String[] {"A", "B"}) {
            long base = copy.equals("A") ? 0 : FormatConstants.MANIFEST_PAGE_BYTES;
            out.add(new Region("manifest " + copy + " fields", mf, range(base, base + fileTableEnd)));
            out.add(new Region("manifest " + copy + " zeros", mf, range(base + fileTableEnd, base + 4092)));
            out.add(new Region("manifest " + copy + " crc", mf, range(base + 4092, base + 4096)));
        }
        for (FileKind kind : io.mmgraph.format.IndexFiles.kinds(0)) {
            String f = kind.fileName();
            SlotLayout l = CorruptionFixture.layout(kind);
            long committed = CorruptionFixture.committedLength(dir, f);
            long n = CorruptionFixture.records(dir, kind);
            out.add(new Region(f + " header fields", f, range(0, 48)));
            out.add(new Region(f + " header zeros", f, range(48, 4092)));
            out.add(new Region(f + " header crc", f, range(4092, 4096)));
            out.add(new Region(f + " prologue padding", f, range(4096, FormatConstants.PROLOGUE_BYTES)));
            Map<String, Region> byName = new LinkedHashMap<>();
            long previousEnd = FormatConstants.PROLOGUE_BYTES;
            for (long ord = 0; ord < n; ord++) {
                int e = l.extentOf(ord);
                long at = l.fileOffset(ord);
                if (at > previousEnd) {
                    byName.computeIfAbsent(f + " block padding, extent " + e, k -> new Region(k, f, new ArrayList<>()))
                            .ranges().add(new long[] {previousEnd, at});
                }
                if (kind == FileKind.NEIGHBOR_LISTS) {
                    long idsEnd = at + 4 + 4L * CorruptionFixture.MAX_DEGREE;
                    add(byName, f + " list counts, extent " + e, f, at, at + 4);
                    add(byName, f + " list ids, extent " + e, f, at + 4, idsEnd);
                    add(byName, f + " list crcs, extent " + e, f, idsEnd, at + l.recordBytes());
                } else {
                    add(byName, f + " records, extent " + e, f, at, at + l.recordBytes());
                }
                previousEnd = at + l.recordBytes();
            }
            assertEquals(committed, previousEnd, f + ": the last record ends the committed length");
            out.addAll(byName.values());
        }
        return out;
    }

    private static void add(Map<String, Region> byName, String name, String file, long start, long end) {
        byName.computeIfAbsent(name, k -> new Region(k, file, new ArrayList<>())).ranges().add(new long[] {start, end});
    }

    /** The regions of each file cover [0, committed length) with neither gaps nor overlaps. */
    private static void assertTiling(Path dir, List<Region> regions) throws IOException {
        Map<String, List<long[]>> byFile = new TreeMap<>();
        for (Region r : regions) {
            byFile.computeIfAbsent(r.file(), k -> new ArrayList<>()).addAll(r.ranges());
        }
        assertEquals(1 + io.mmgraph.format.IndexFiles.kinds(0).size(), byFile.size());
        for (Map.Entry<String, List<long[]>> e : byFile.entrySet()) {
            List<long[]> ranges = new ArrayList<>(e.getValue());
            ranges.sort(Comparator.comparingLong(r -> r[0]));
            long at = 0;
            for (long[] r : ranges) {
                assertEquals(at, r[0], e.getKey() + ": gap or overlap at " + at + " / " + Arrays.toString(r));
                assertTrue(r[1] > r[0]);
                at = r[1];
            }
            assertEquals(CorruptionFixture.committedLength(dir, e.getKey()), at, e.getKey() + " coverage");
        }
    }

    @Test
    void everyFlippedBitBelowTheCommittedLengthIsDetected() throws IOException {
        Random r = TestSeeds.random("BitFlipTest.everyFlippedBitBelowTheCommittedLengthIsDetected");
        Path dir = tmp.resolve("idx");
        CorruptionFixture.build(dir, r.nextLong());
        assertFalse(CorruptionFixture.openAndVerify(dir).detected(), "the pristine index must verify");

        List<Region> regions = regions(dir);
        assertTiling(dir, regions);
        assertTrue(regions.stream().anyMatch(g -> g.name().startsWith("vectors.mmg block padding")),
                "100-d records leave padding in each block");
        int perRegion = Math.max(20, (MIN_FLIPS + regions.size() - 1) / regions.size());

        Map<String, Integer> hits = new LinkedHashMap<>();
        Map<String, Integer> how = new TreeMap<>();
        List<String> missed = new ArrayList<>();
        int flips = 0;
        for (Region region : regions) {
            for (int i = 0; i < perRegion; i++) {
                long offset = region.pick(r);
                int bit = r.nextInt(8);
                Path file = dir.resolve(region.file());
                CorruptionFixture.flipBit(file, offset, bit);
                CorruptionFixture.Outcome o;
                try {
                    o = CorruptionFixture.openAndVerify(dir);
                } catch (RuntimeException | Error e) {
                    AssertionError err = new AssertionError("flip of bit " + bit + " at " + region.file() + ":" + offset
                            + " (" + region.name() + ") escaped as " + e);
                    err.initCause(e);
                    throw err;
                } finally {
                    CorruptionFixture.flipBit(file, offset, bit);
                }
                flips++;
                hits.merge(region.name(), 1, Integer::sum);
                how.merge(o.how(), 1, Integer::sum);
                if (!o.detected()) {
                    missed.add(region.name() + " " + region.file() + ":" + offset + " bit " + bit + " undetected");
                } else if (!o.names(region.file())) {
                    missed.add(region.name() + " " + region.file() + ":" + offset + " bit " + bit
                            + " detected without naming the file: " + o.how() + ": " + o.message());
                }
            }
        }
        System.out.println(flips + " flips over " + regions.size() + " regions; detected by " + how);
        assertTrue(flips >= 1000, "flips: " + flips);
        for (Region region : regions) {
            assertTrue(hits.getOrDefault(region.name(), 0) > 0, "region never hit: " + region.name());
        }
        if (!missed.isEmpty()) {
            fail(missed.size() + " of " + flips + " flips not properly detected, e.g.:\n"
                    + String.join("\n", missed.subList(0, Math.min(20, missed.size()))));
        }
        assertFalse(CorruptionFixture.openAndVerify(dir).detected(), "every flip was restored");
    }

    /**
     * The other side of the contract, and proof that this harness can see a miss: bytes past the committed length
     * (the unused slots of the last block) are free space, not data, so damage there is not an error.
     */
    @Test
    void bytesPastTheCommittedLengthAreNotChecked() throws IOException {
        Random r = TestSeeds.random("BitFlipTest.bytesPastTheCommittedLengthAreNotChecked");
        Path dir = tmp.resolve("idx");
        CorruptionFixture.build(dir, r.nextLong());
        Path vectors = dir.resolve(FileKind.VECTORS.fileName());
        long committed = CorruptionFixture.committedLength(dir, FileKind.VECTORS.fileName());
        long offset = committed + r.nextInt(400);
        CorruptionFixture.flipBit(vectors, offset, r.nextInt(8));
        assertFalse(CorruptionFixture.openAndVerify(dir).detected(), "byte " + offset + " is past the commit");
        // One byte earlier is the last committed vector: detected.
        CorruptionFixture.flipBit(vectors, committed - 1, 0);
        CorruptionFixture.Outcome o = CorruptionFixture.openAndVerify(dir);
        assertTrue(o.detected());
        assertTrue(o.message().contains("vector " + (CorruptionFixture.COUNT - 1)), o.message());
    }
}
