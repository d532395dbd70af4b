package io.mmgraph.bench.fuzz;

import io.mmgraph.index.IndexOptions;
import io.mmgraph.index.MMapGraph;
import io.mmgraph.index.SearchOptions;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * {@code mmgraph bench fuzz}: damages copies of a small valid index (with codes) in seeded random ways and drives
 * every opening and checking path over each — open read-only, search by codes and by vectors, read vectors, verify,
 * refresh, open for writing, add and commit — requiring that each either works or fails with a named
 * {@link IOException} (the index's own, or the file system's), and never with another exception, a JVM crash or a
 * hang. Damage is structure-aware: besides flipped bits, overwritten runs, truncation, extension and deleted files,
 * it rewrites fields of the manifest, the file headers and the codebook and then fixes their CRC32C, so that the
 * checks behind the checksums are reached too.
 */
public final class IndexFuzzer {
    /** One damaged index and how the paths over it ended. */
    public record Case(long seed, List<String> damage, List<String> outcomes, String failure) {
        public boolean ok() {
            return failure == null;
        }
    }

    private static final int DIM = 8;
    private static final int COUNT = 400;
    private static final long CASE_TIMEOUT_SECONDS = 30;
    private static final String[] FILES = {"manifest.mmg", "vectors.mmg", "vectors.crc.mmg", "lists.mmg",
            "codes.mmg", "codebook.mmg", "deletes.mmg", "keys.mmg", "docs.mmg", "ids.mmg", "field-tag.mmg"};
    /**
     * Manifest fields (docs/format.md, version 4): offset and width; then each of the 7 file-table entries' kind,
     * generation and committed length.
     */
    private static final int[][] MANIFEST_FIELDS = manifestFields();

    private static int[][] manifestFields() {
        List<int[]> f = new ArrayList<>(List.of(new int[][] {{4, 4}, {8, 8}, {16, 8}, {24, 4}, {28, 4}, {32, 4},
                {36, 4}, {40, 8}, {48, 4}, {52, 4}, {56, 4}, {60, 4}, {64, 4}, {68, 4}, {72, 8}, {80, 4}, {84, 4},
                {88, 8}, {96, 8}}));
        for (int entry = 0; entry < 7; entry++) {
            int at = 104 + 16 * entry;
            f.add(new int[] {at, 4});
            f.add(new int[] {at + 4, 4});
            f.add(new int[] {at + 8, 8});
        }
        return f.toArray(int[][]::new);
    }
    /** Data file header fields. */
    private static final int[][] HEADER_FIELDS = {{4, 4}, {8, 4}, {12, 4}, {16, 8}, {24, 8}, {32, 4}, {36, 4},
            {40, 4}, {44, 4}};
    private static final long[] INTERESTING = {0, 1, -1, 2, 7, 8, 255, 256, 4096, 65_536, Integer.MAX_VALUE,
            Integer.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE, COUNT - 1, COUNT, COUNT + 1, 1L << 32};

    private IndexFuzzer() {}

    /** Runs {@code cases} cases from {@code seed} in {@code work} (a scratch folder); returns the summary. */
    public static Map<String, Object> run(Path work, long seed, int cases, Consumer<Case> onCase)
            throws IOException, InterruptedException {
        Path pristine = work.resolve("pristine");
        deleteRecursively(pristine);
        build(pristine);
        ExecutorService runner = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().factory());
        int failed = 0;
        Map<String, Integer> outcomes = new java.util.TreeMap<>();
        List<String> failures = new ArrayList<>();
        long t0 = System.nanoTime();
        try {
            for (int c = 0; c < cases; c++) {
                long caseSeed = new SplittableRandom(seed + c * 0x9E3779B97F4A7C15L).nextLong();
                // A folder per case: a hung case's thread, interrupted, must not wander into the next one's files.
                Path dir = work.resolve("case-" + c);
                copy(pristine, dir);
                List<String> damage = damage(dir, new SplittableRandom(caseSeed));
                Case result;
                Future<List<String>> f = runner.submit(() -> exercise(dir));
                try {
                    List<String> o = f.get(CASE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    result = new Case(caseSeed, damage, o, firstBad(o));
                } catch (TimeoutException e) {
                    f.cancel(true);
                    result = new Case(caseSeed, damage, List.of(), "hang: no end after " + CASE_TIMEOUT_SECONDS + " s");
                    runner.shutdownNow();
                    runner = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().factory());
                } catch (ExecutionException e) {
                    result = new Case(caseSeed, damage, List.of(), "escaped: " + e.getCause());
                }
                for (String o : result.outcomes()) {
                    outcomes.merge(o.replaceAll("^([^:]+): (ok|named|BAD)( damage found)?.*", "$1: $2$3"), 1,
                            Integer::sum);
                }
                if (!result.ok()) {
                    failed++;
                    failures.add(result.toString());
                } else {
                    deleteRecursively(dir); // a failed case's files stay for a look
                }
                onCase.accept(result);
            }
        } finally {
            runner.shutdownNow();
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("cases", cases);
        report.put("seed", seed);
        report.put("failed", failed);
        report.put("seconds", (System.nanoTime() - t0) / 1e9);
        report.put("outcomes", outcomes);
        report.put("failures", failures);
        return report;
    }

    /** A failure is any outcome but success or a named IOException. */
    private static String firstBad(List<String> outcomes) {
        for (String o : outcomes) {
            if (o.contains(" BAD ")) {
                return o;
            }
        }
        return null;
    }

    private static void build(Path dir) throws IOException {
        try (MMapGraph g = MMapGraph.create(dir, IndexOptions.dimension(DIM).withExtentSlots(64).withMaxDegree(8)
                .withBuildBeamWidth(16).withCodeBytes(4).withCodeTrainSize(256))) {
            SplittableRandom r = new SplittableRandom(1);
            for (int i = 0; i < COUNT; i++) {
                float[] v = new float[DIM];
                for (int j = 0; j < DIM; j++) {
                    v[j] = (float) r.nextGaussian();
                }
                if (i % 4 == 0) {
                    g.add(v); // some vectors by ordinal only
                } else {
                    g.upsert("k" + i, v, i % 3 == 0 ? null : "{\"i\":" + i + ",\"tag\":\"t" + (i % 5) + "\"}");
                }
            }
            for (int i = 5; i < COUNT; i += 20) {
                g.delete(i);
            }
            g.indexField("tag"); // filters on tag read its column
        }
        Files.deleteIfExists(dir.resolve("writer.lock"));
    }

    /** Every path over the (damaged) index; one line each: "path: ok" or "path: named|BAD exception". */
    private static List<String> exercise(Path dir) {
        List<String> out = new ArrayList<>();
        float[] q = new float[DIM];
        q[0] = 0.5f;
        try (MMapGraph g = MMapGraph.openReadOnly(dir)) {
            out.add("open: ok");
            step(out, "search-codes", () -> g.search(q, SearchOptions.k(5)));
            step(out, "search-vectors", () -> g.search(q, SearchOptions.k(5).withoutCodes()));
            step(out, "vectors", () -> {
                for (int i = 0; i < g.size(); i += 17) {
                    g.vector(i);
                }
                return null;
            });
            step(out, "deleted", () -> g.isDeleted(5));
            step(out, "get", () -> {
                var d = g.get("k7");
                return d.isPresent() ? g.vector(d.get().ordinal()).length : 0;
            });
            step(out, "payloads", () -> {
                for (int i = 0; i < g.size(); i += 13) {
                    g.payload(i);
                    g.id(i);
                }
                return null;
            });
            step(out, "filter", () -> g.search(q, SearchOptions.k(5).withFilter(g.payloadFilter(
                    io.mmgraph.filter.PayloadFilter.equalTo("tag", "t2")))));
            step(out, "filter-bulk", () -> {
                java.util.BitSet s = g.payloadFilter(io.mmgraph.filter.PayloadFilter.anyOf("tag", List.of("t1", "t3")))
                        .accepted(g.size());
                return s == null ? -1 : s.cardinality();
            });
            step(out, "verify", () -> g.verify().ok() ? "clean" : "damage found");
            step(out, "refresh", g::refresh);
            step(out, "stats", g::stats);
        } catch (Throwable t) {
            out.add(describe("open", t));
        }
        try (MMapGraph w = MMapGraph.open(dir)) {
            out.add("open-writer: ok");
            step(out, "add", () -> w.add(q));
            step(out, "delete", () -> w.delete(w.size() - 1)); // the vector just added: any index has it
            step(out, "upsert", () -> w.upsert("k7", q, "{\"again\":true}"));
            step(out, "index-field", () -> w.indexField("i"));
            step(out, "sync", () -> {
                w.sync();
                return null;
            });
            step(out, "verify-after-write", () -> w.verify().ok() ? "clean" : "damage found");
        } catch (Throwable t) {
            out.add(describe("open-writer", t));
        }
        return out;
    }

    private interface Step {
        Object run() throws Exception;
    }

    private static void step(List<String> out, String name, Step s) {
        try {
            Object r = s.run();
            out.add(name + ": ok" + ("damage found".equals(r) ? " damage found" : ""));
        } catch (Throwable t) {
            out.add(describe(name, t));
        }
    }

    /**
     * Named: an IOException of the index or the file system. Not named: anything else, and an IOException that only
     * wraps another exception thrown while closing (close() wraps them so that no resource is left open).
     */
    private static String describe(String path, Throwable t) {
        boolean named = t instanceof IOException && !(t.getMessage() != null && t.getMessage().startsWith("closing: ")
                && !(t.getCause() instanceof IOException));
        return path + ": " + (named ? "named " : " BAD ") + t.getClass().getSimpleName() + " " + t.getMessage();
    }

    // ----------------------------------------------------------------------------------------------- damage

    private static List<String> damage(Path dir, SplittableRandom r) throws IOException {
        List<String> done = new ArrayList<>();
        int n = 1 + r.nextInt(3);
        for (int i = 0; i < n; i++) {
            String file = FILES[r.nextInt(FILES.length)];
            Path p = dir.resolve(file);
            if (!Files.exists(p)) {
                continue;
            }
            long size = Files.size(p);
            switch (r.nextInt(8)) {
                case 0 -> {
                    long at = r.nextLong(Math.max(1, size));
                    done.add(file + ": bit " + r.nextInt(8) + " of byte " + at + " flipped");
                    update(p, at, 1, b -> b.put(0, (byte) (b.get(0) ^ (1 << r.nextInt(8)))));
                }
                case 1 -> {
                    long at = r.nextLong(Math.max(1, size));
                    int len = 1 + r.nextInt(16);
                    done.add(file + ": " + len + " random bytes at " + at);
                    update(p, at, len, b -> {
                        for (int k = 0; k < b.limit(); k++) {
                            b.put(k, (byte) r.nextInt(256));
                        }
                    });
                }
                case 2 -> {
                    long to = r.nextBoolean() ? r.nextLong(Math.max(1, size)) : Math.max(0, size - 1 - r.nextInt(8192));
                    done.add(file + ": truncated to " + to + " of " + size);
                    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
                        ch.truncate(to);
                    }
                }
                case 3 -> {
                    int len = 1 + r.nextInt(70_000);
                    done.add(file + ": " + len + " bytes appended");
                    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                        byte[] junk = new byte[len];
                        if (r.nextBoolean()) {
                            for (int k = 0; k < len; k++) {
                                junk[k] = (byte) r.nextInt(256);
                            }
                        }
                        ch.write(ByteBuffer.wrap(junk));
                    }
                }
                case 4 -> {
                    done.add(file + ": deleted");
                    Files.delete(p);
                }
                case 5, 6 -> {
                    if (file.equals("manifest.mmg")) {
                        int page = r.nextInt(3); // copy A, copy B, or both
                        int[] field = MANIFEST_FIELDS[r.nextInt(MANIFEST_FIELDS.length)];
                        long value = interesting(r);
                        done.add("manifest: field at " + field[0] + " = " + value + " in copy " + "AB*".charAt(page)
                                + ", CRC fixed");
                        for (int pg = 0; pg < 2; pg++) {
                            if (page == 2 || page == pg) {
                                setField(p, pg * 4096L, field, value, 4096);
                            }
                        }
                    } else if (file.equals("codebook.mmg")) {
                        long at = r.nextLong(Math.max(1, size - 4));
                        done.add("codebook: byte " + at + " rewritten, its CRC and the manifest's fixed");
                        int crc = rewriteCodebook(p, at, (byte) r.nextInt(256));
                        for (int pg = 0; pg < 2; pg++) {
                            setField(dir.resolve("manifest.mmg"), pg * 4096L, new int[] {80, 4}, crc, 4096);
                        }
                    } else {
                        int[] field = HEADER_FIELDS[r.nextInt(HEADER_FIELDS.length)];
                        long value = interesting(r);
                        done.add(file + ": header field at " + field[0] + " = " + value + ", CRC fixed");
                        setField(p, 0, field, value, 4096);
                    }
                }
                default -> {
                    // A zeroed run: a page the disk lost, past the header where the file has data there.
                    long at = size > 65_536 ? 65_536 + r.nextLong(size - 65_536) : r.nextLong(Math.max(1, size));
                    int len = 1 + r.nextInt(4096);
                    done.add(file + ": " + len + " bytes at " + at + " zeroed");
                    update(p, at, len, b -> {
                        for (int k = 0; k < b.limit(); k++) {
                            b.put(k, (byte) 0);
                        }
                    });
                }
            }
        }
        return done;
    }

    private static long interesting(SplittableRandom r) {
        return r.nextInt(4) == 0 ? r.nextLong() : INTERESTING[r.nextInt(INTERESTING.length)];
    }

    private interface Edit {
        void apply(ByteBuffer bytes);
    }

    /** Rewrites {@code len} bytes at {@code at} (those that exist). */
    private static void update(Path p, long at, int len, Edit edit) throws IOException {
        if (!Files.exists(p)) {
            return; // deleted by an earlier damage of this case
        }
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            int n = (int) Math.max(0, Math.min(len, ch.size() - at));
            if (n == 0) {
                return;
            }
            ByteBuffer b = ByteBuffer.allocate(n);
            ch.read(b, at);
            edit.apply(b.clear());
            ch.write(b.clear(), at);
        }
    }

    /** Sets a little-endian field of the checksummed block at {@code base} and recomputes its trailing CRC32C. */
    private static void setField(Path p, long base, int[] field, long value, int blockBytes) throws IOException {
        update(p, base, blockBytes, b -> {
            if (b.limit() < blockBytes) {
                return;
            }
            b.order(ByteOrder.LITTLE_ENDIAN);
            if (field[1] == 8) {
                b.putLong(field[0], value);
            } else {
                b.putInt(field[0], (int) value);
            }
            CRC32C crc = new CRC32C();
            crc.update(b.array(), 0, blockBytes - 4);
            b.putInt(blockBytes - 4, (int) crc.getValue());
        });
    }

    /** Rewrites one byte of the codebook and its trailing CRC32C; returns the new CRC (which the manifest names). */
    private static int rewriteCodebook(Path p, long at, byte value) throws IOException {
        byte[] all = Files.readAllBytes(p);
        if (all.length < 8) {
            return 0;
        }
        all[(int) Math.min(at, all.length - 5)] = value;
        CRC32C crc = new CRC32C();
        crc.update(all, 0, all.length - 4);
        int c = (int) crc.getValue();
        ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN).putInt(all.length - 4, c);
        Files.write(p, all);
        return c;
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
