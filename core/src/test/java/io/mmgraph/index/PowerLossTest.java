package io.mmgraph.index;

import io.mmgraph.dataset.SyntheticData;
import io.mmgraph.format.VerifyReport;
import io.mmgraph.store.DurabilityRecorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Power loss, simulated. {@code kill -9} keeps the page cache, so it never tests msync ordering; this does. A writer
 * runs with a {@link DurabilityRecorder} that logs every range each msync, synced write and fsync made durable.
 * For cut points across the whole run, the disk image a power cut there could leave is rebuilt from that log alone:
 * every event before the cut; the event at the cut torn (a random subset of its pages, some cut at a 512-byte
 * sector); and pages of the next events' data already written back by the kernel ahead of their msync, torn too.
 * Each image must open (recovery repairs the lists), hold at least the last commit whose {@code sync()} had
 * returned before the cut, verify clean, keep every vector bit for bit, search, and take writes.
 */
class PowerLossTest {
    static final int DIM = 16;
    static final int SECTOR = 512;
    static final int PAGE = 4096;

    /**
     * Bytes made durable at an offset of a file; or (bytes == null) a file length made durable; or (whole) a file
     * that appeared whole by an atomic rename.
     */
    record Event(String file, long offset, byte[] bytes, long length, boolean whole) {
    }

    /**
     * After {@code events} events, a sync() had returned with {@code committed} vectors and the first {@code deletes}
     * deletions committed.
     */
    record Ack(int events, long committed, long deletes) {
    }

    @TempDir
    Path tmp;

    @Test
    void everyCutRecoversTheLastReturnedCommitOrLater() throws IOException {
        Path dir = tmp.resolve("live");
        List<Event> events = Collections.synchronizedList(new ArrayList<>());
        List<Ack> acks = new ArrayList<>();
        float[][] data = new SyntheticData(DIM, 20, 11).bases(1_600);
        SplittableRandom r = new SplittableRandom(20261202);
        DurabilityRecorder.install(recorder(events, dir));
        long maxCommitted;
        List<Integer> deletedInOrder = new ArrayList<>();
        try (MMapGraph g = MMapGraph.create(dir, IndexOptions.dimension(DIM).withExtentSlots(128).withMaxDegree(8)
                .withBuildBeamWidth(16).withCodeBytes(4).withCodeTrainSize(300))) {
            acks.add(new Ack(events.size(), 0, 0));
            int next = 0;
            while (next < data.length) {
                if (next >= data.length / 2 && g.durability().equals(Durability.ON_DEMAND)) {
                    g.setDurability(Durability.everyInserts(97)); // the second half commits by count, mid-insert
                }
                long before = g.committedCount();
                int batch = Math.min(data.length - next, 1 + r.nextInt(60));
                if (batch == 1) {
                    g.add(data[next]);
                } else {
                    g.addAll(Arrays.asList(data).subList(next, next + batch), 2);
                }
                next += batch;
                if (g.committedCount() != before) {
                    acks.add(new Ack(events.size(), g.committedCount(), committedDeletes(dir)));
                }
                if (r.nextInt(2) == 0) { // deletions between inserts, logged and committed alongside them
                    int victim = r.nextInt(g.size());
                    if (g.delete(victim)) {
                        deletedInOrder.add(victim);
                    }
                }
                if (r.nextInt(3) == 0) {
                    g.sync();
                    acks.add(new Ack(events.size(), g.committedCount(), committedDeletes(dir)));
                }
            }
            g.sync();
            acks.add(new Ack(events.size(), g.committedCount(), committedDeletes(dir)));
            maxCommitted = g.committedCount();
        } finally {
            DurabilityRecorder.install(null);
        }
        assertTrue(acks.size() > 10 && events.size() > 100, acks.size() + " commits, " + events.size() + " events");
        assertTrue(deletedInOrder.size() >= 5, "deletions made: " + deletedInOrder.size());

        // Cut right before and after every manifest write, and at random events between.
        TreeSet<Integer> cuts = new TreeSet<>();
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).file().equals("manifest.mmg") && r.nextInt(2) == 0) {
                cuts.add(i);
                cuts.add(i + 1);
            }
        }
        for (int i = 0; i < 40; i++) {
            cuts.add(r.nextInt(events.size() + 1));
        }
        int opened = 0;
        int createCuts = 0;
        for (int i = 0; i < acks.getFirst().events(); i++) {
            cuts.add(i); // every point inside create()
        }
        for (int cut : cuts) {
            long mustHave = -1;
            long mustHaveDeletes = 0;
            for (Ack a : acks) {
                if (a.events() <= cut) {
                    mustHave = a.committed();
                    mustHaveDeletes = a.deletes();
                }
            }
            Path image = tmp.resolve("cut-" + cut);
            rebuild(image, events, cut, r);
            String where = "cut at event " + cut + " of " + events.size() + " (must hold " + mustHave + ")";
            if (mustHave < 0) {
                // Inside create(), which never returned: no index yet, or an empty one; either way creating works.
                if (!Files.exists(image.resolve("manifest.mmg"))) {
                    try (MMapGraph fresh = MMapGraph.create(image, IndexOptions.dimension(DIM))) {
                        fresh.add(data[0]);
                    }
                    createCuts++;
                    deleteImage(image);
                    continue;
                }
                mustHave = 0;
            }
            try (MMapGraph reader = MMapGraph.openReadOnly(image)) {
                // Read-only first: a reader repairs nothing and grows nothing, so the image must be whole as it is.
                assertTrue(reader.size() >= mustHave, where + ": a reader sees " + reader.size());
            }
            try (MMapGraph g = MMapGraph.open(image)) {
                long count = g.size();
                assertTrue(count >= mustHave && count <= maxCommitted, where + ": reopened with " + count);
                VerifyReport report = g.verify();
                assertTrue(report.ok(), where + ": " + report.problems());
                for (int i = 0; i < count; i++) {
                    assertArrayEquals(data[i], g.vector(i), where + ", vector " + i);
                }
                // The deletions are a prefix of those made, at least the acknowledged ones.
                long deletes = g.deletedCount();
                assertTrue(deletes >= mustHaveDeletes && deletes <= deletedInOrder.size(),
                        where + ": " + deletes + " deletions, " + mustHaveDeletes + " acknowledged");
                java.util.Set<Integer> deleted = new java.util.HashSet<>(deletedInOrder.subList(0, (int) deletes));
                for (int i = 0; i < count; i++) {
                    assertEquals(deleted.contains(i), g.isDeleted(i), where + ", deleted " + i);
                }
                assertEquals(Math.min(10, count - deletes), g.search(data[0], SearchOptions.k(10)).neighbors().size(),
                        where + ": searches");
                g.add(data[(int) count % data.length]);
                g.sync();
                assertEquals(count + 1, g.committedCount(), where + ": takes writes");
            }
            opened++;
            deleteImage(image);
        }
        assertTrue(opened >= 40, "images checked: " + opened);
        assertTrue(createCuts > 0, "some cuts inside create() left no index, and creating again worked");
    }

    /**
     * A listener that logs every durable event of the files under {@code dir} into {@code events}, by their path
     * relative to it (a file built aside in a subfolder, then renamed, stays apart from the one it replaces).
     */
    static DurabilityRecorder.Listener recorder(List<Event> events, Path dir) {
        Path root = dir.toAbsolutePath();
        java.util.function.Function<Path, String> name = file -> {
            Path f = file.toAbsolutePath();
            return f.startsWith(root) ? root.relativize(f).toString() : f.getFileName().toString();
        };
        return new DurabilityRecorder.Listener() {
            @Override
            public void durable(Path file, long offset, ByteBuffer bytes) {
                byte[] b = new byte[bytes.remaining()];
                bytes.duplicate().get(b);
                events.add(new Event(name.apply(file), offset, b, -1, false));
            }

            @Override
            public void length(Path file, long length) {
                events.add(new Event(name.apply(file), 0, null, length, false));
            }

            @Override
            public void replaced(Path file, ByteBuffer contents) {
                byte[] b = new byte[contents.remaining()];
                contents.duplicate().get(b);
                events.add(new Event(name.apply(file), 0, b, b.length, true));
            }
        };
    }

    private static long committedDeletes(Path dir) throws IOException {
        return io.mmgraph.format.ManifestFile.read(io.mmgraph.format.FormatConstants.manifestPath(dir)).newest()
                .deleteCount();
    }

    /**
     * The disk after a cut before event {@code cut}: events before it whole, that one torn, and data pages of the
     * next few written back early (torn too). Files absent from the log do not exist; bytes never synced read 0.
     */
    static void rebuild(Path image, List<Event> events, int cut, SplittableRandom r) throws IOException {
        Files.createDirectories(image);
        for (Event e : events) {
            Path parent = image.resolve(e.file()).getParent();
            if (!parent.equals(image)) {
                Files.createDirectories(parent); // a build folder
            }
        }
        java.util.Map<String, Long> lengths = new java.util.HashMap<>();
        for (int i = 0; i < cut; i++) {
            apply(image, events.get(i), null, lengths);
        }
        if (cut < events.size() && r.nextBoolean()) {
            apply(image, events.get(cut), r, lengths);
        }
        for (int i = cut + 1; i < Math.min(events.size(), cut + 40); i++) {
            Event e = events.get(i);
            boolean data = e.bytes() != null && !e.whole() && !e.file().equals("manifest.mmg");
            if (data && r.nextInt(3) == 0) {
                apply(image, e, r, lengths); // dirty pages the kernel wrote back before the msync that would have
            }
        }
        // A file is as long as its last synced length says: growth not yet synced is lost with what was written there.
        for (var l : lengths.entrySet()) {
            try (RandomAccessFile f = new RandomAccessFile(image.resolve(l.getKey()).toFile(), "rw")) {
                f.setLength(l.getValue());
            }
        }
    }

    /** Writes an event into the image; with {@code torn}, only a random subset of its pages, some cut at a sector. */
    private static void apply(Path image, Event e, SplittableRandom torn, java.util.Map<String, Long> lengths)
            throws IOException {
        if (e.bytes() == null) {
            if (torn == null || torn.nextBoolean()) {
                lengths.put(e.file(), e.length());
            }
            return;
        }
        if (e.whole()) { // a rename: the file is there whole or not at all
            if (torn == null || torn.nextBoolean()) {
                Files.write(image.resolve(e.file()), e.bytes());
                lengths.put(e.file(), e.length());
            }
            return;
        }
        try (RandomAccessFile f = new RandomAccessFile(image.resolve(e.file()).toFile(), "rw")) {
            for (int at = 0; at < e.bytes().length; at += PAGE) {
                int len = Math.min(PAGE, e.bytes().length - at);
                if (torn != null) {
                    int choice = torn.nextInt(3);
                    if (choice == 0) {
                        continue; // this page never reached the disk
                    }
                    if (choice == 1) {
                        len = Math.min(len, SECTOR * torn.nextInt(PAGE / SECTOR)); // torn at a sector
                    }
                }
                f.seek(e.offset() + at);
                f.write(e.bytes(), at, len);
            }
        }
    }

    static void deleteImage(Path image) throws IOException {
        try (var files = Files.walk(image)) {
            for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }
}
