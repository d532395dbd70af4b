package io.mmgraph.index;

import io.mmgraph.filter.JsonPayload;
import io.mmgraph.format.CorruptIndexException;
import io.mmgraph.format.FieldColumn;
import io.mmgraph.format.KeyHash;
import io.mmgraph.store.MapMode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The payload field columns of one generation of an index ({@link FieldColumn}): which fields are indexed, how a
 * payload's field becomes an entry, and the writer's duties: an entry per new ordinal, written with its vector; the
 * entries msynced before each commit and covered after it; a column built for a field on request and extended or
 * rebuilt at open where a writer died or the file was damaged. Readers open the columns they find and use what they
 * cover; a column they cannot open is left to the payloads (and to {@code check}, which reports it).
 *
 * <p>Thread-safety: the writer's methods run under its locks (appends under the allocation lock, the rest under the
 * write lock); {@link #columns()} is a snapshot any thread may read.
 */
final class FieldIndexes implements AutoCloseable {
    private static final String BUILD_DIR = ".fields-build";

    /** Reads ordinal {@code ordinal}'s payload (null: none). */
    interface Payloads {
        String payload(int ordinal) throws IOException;
    }

    /** One entry: {@link FieldColumn}'s kind, value and length. */
    record Entry(int kind, long value, int length) {
        static final Entry ABSENT = new Entry(FieldColumn.ABSENT, 0, 0);
        static final Entry MIXED = new Entry(FieldColumn.MIXED, 0, 0);
        static final Entry UNWRITTEN = new Entry(FieldColumn.UNWRITTEN, 0, 0);
    }

    private final Path dir;
    private final long indexId;
    private final int extentSlots;
    private final long generation;
    private final MapMode mode;
    private volatile List<FieldColumn> columns = List.of();
    /** Columns dropped while searches may still read them: closed with the rest. */
    private final List<FieldColumn> retired = new ArrayList<>();

    FieldIndexes(Path dir, long indexId, int extentSlots, long generation, MapMode mode) {
        this.dir = dir;
        this.indexId = indexId;
        this.extentSlots = extentSlots;
        this.generation = generation;
        this.mode = mode;
    }

    /** The columns open now (a snapshot). */
    List<FieldColumn> columns() {
        return columns;
    }

    /** The open column of {@code field}, or null. */
    FieldColumn column(String field) {
        for (FieldColumn c : columns) {
            if (c.field().equals(field)) {
                return c;
            }
        }
        return null;
    }

    List<String> fields() {
        return columns.stream().map(FieldColumn::field).sorted().toList();
    }

    /** The fields with a column file of {@code generation} in {@code dir}, by file name. */
    static Map<String, Path> columnFiles(Path dir, long generation) throws IOException {
        Map<String, Path> out = new java.util.TreeMap<>();
        try (var entries = Files.list(dir)) {
            for (Path p : entries.toList()) {
                String field = FieldColumn.fieldOf(p.getFileName().toString(), generation);
                if (field != null) {
                    out.put(field, p);
                }
            }
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------------ encoding

    /** The parsed payload (null for none, or for one that is not JSON: it has no fields). */
    static Object parse(String payload) {
        if (payload == null) {
            return null;
        }
        try {
            return JsonPayload.parse(payload);
        } catch (IllegalArgumentException notJson) {
            return null;
        }
    }

    /**
     * The entry of {@code field} in a parsed payload, chosen so that every {@link io.mmgraph.filter.PayloadFilter}
     * condition decides on it as it would on the payload, or is left to the payload ({@link FieldColumn#MIXED}):
     * a missing or null field, an object, an empty array and an array of nothing but nulls, objects and arrays have
     * no value any condition could hold for; an array whose scalars are all equal is that scalar (a condition holds
     * for an array when it holds for an element); other arrays are mixed.
     */
    static Entry encode(Object payload, String field) {
        Object v = JsonPayload.field(payload, field);
        if (v instanceof List<?> list) {
            Object only = null;
            for (Object o : list) {
                if (o == null || o instanceof List || o instanceof Map) {
                    continue;
                }
                if (only != null && !only.equals(o)) {
                    return Entry.MIXED;
                }
                only = o;
            }
            v = only;
        }
        return scalar(v);
    }

    /** The entry of one JSON value (a scalar, or null / an object: no value). */
    static Entry scalar(Object v) {
        if (v instanceof Double d) {
            return new Entry(FieldColumn.NUMBER, Double.doubleToLongBits(d), 0);
        }
        if (v instanceof Boolean b) {
            return new Entry(FieldColumn.BOOLEAN, b ? 1 : 0, 0);
        }
        if (v instanceof String s) {
            byte[] utf8 = wellFormedUtf8(s);
            if (utf8 == null) {
                return Entry.MIXED;
            }
            if (utf8.length <= FieldColumn.SHORT_STRING_BYTES) {
                return new Entry(FieldColumn.SHORT_STRING, packShort(utf8), utf8.length);
            }
            return new Entry(FieldColumn.LONG_STRING, KeyHash.of(utf8), 0);
        }
        return Entry.ABSENT;
    }

    /** A string's UTF-8 bytes, or null when it holds an unpaired surrogate (its UTF-8 would stand for another). */
    static byte[] wellFormedUtf8(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return null;
            }
        }
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Up to 8 bytes as a little-endian long, zero-padded. */
    static long packShort(byte[] utf8) {
        long v = 0;
        for (int i = utf8.length - 1; i >= 0; i--) {
            v = v << 8 | (utf8[i] & 0xff);
        }
        return v;
    }

    // ------------------------------------------------------------------------------------------------ readers

    /** A reader, at open and refresh: opens columns it does not have yet; those it cannot open are left out. */
    void openForReading() throws IOException {
        List<FieldColumn> now = new ArrayList<>(columns);
        for (Map.Entry<String, Path> e : columnFiles(dir, generation).entrySet()) {
            if (column(e.getKey()) == null) {
                try {
                    FieldColumn c = FieldColumn.open(e.getValue(), indexId, extentSlots, mode);
                    if (c.field().equals(e.getKey())) {
                        now.add(c);
                    } else {
                        c.close(); // the descriptor names another field than the file: check reports it
                    }
                } catch (IOException damagedOrGone) {
                    // derived data: the payloads answer for it (check reports damage, a writer rebuilds it)
                }
            }
        }
        columns = List.copyOf(now);
    }

    /**
     * A reader, at refresh: picks up what a writer covered since, and the columns it built; leaves out (and closes with
     * the rest) those it dropped, replaced or that it cannot read any more.
     */
    void refresh() throws IOException {
        List<FieldColumn> kept = new ArrayList<>();
        for (FieldColumn c : columns) {
            boolean usable;
            try {
                usable = c.isStillAtItsPath();
                if (usable) {
                    c.refreshCovered();
                }
            } catch (IOException damaged) {
                usable = false;
            }
            if (usable) {
                kept.add(c);
            } else {
                synchronized (retired) {
                    retired.add(c); // searches under way may still read it
                }
            }
        }
        columns = List.copyOf(kept);
        openForReading();
    }

    // ------------------------------------------------------------------------------------------------ writer

    /**
     * The writer, at open: opens every column of the generation (rebuilding one whose header is damaged, from the
     * field its file is named after) and extends each to the {@code committed} ordinals from their payloads.
     */
    void openForWriting(int committed, Payloads payloads) throws IOException {
        List<FieldColumn> now = new ArrayList<>();
        try {
            for (Map.Entry<String, Path> e : columnFiles(dir, generation).entrySet()) {
                FieldColumn c;
                try {
                    c = FieldColumn.open(e.getValue(), indexId, extentSlots, MapMode.READ_WRITE);
                    if (!c.field().equals(e.getKey())) {
                        c.close();
                        c = null;
                    }
                } catch (CorruptIndexException | io.mmgraph.format.IndexFormatTooNewException
                         | io.mmgraph.format.IndexFormatTooOldException damaged) {
                    c = null; // derived data: rebuilt (a version no build wrote is damage here too)
                }
                if (c == null) {
                    c = build(e.getKey(), committed, committed, payloads);
                } else if (c.covered() != committed) {
                    // Behind: extend it. Ahead (a count that reached the disk while its commit did not, or a manifest
                    // put back): entries past the commit are not the next ordinals' values, so cover no more.
                    try {
                        fill(c, (int) Math.min(c.covered(), committed), committed, payloads);
                        c.cover(committed);
                        c.syncCovered();
                    } catch (IOException | RuntimeException failed) {
                        c.close();
                        throw failed;
                    }
                }
                now.add(c);
            }
        } catch (IOException | RuntimeException e) {
            io.mmgraph.store.Closing.closeAll(now);
            throw e;
        }
        columns = List.copyOf(now);
    }

    /**
     * Builds the column of {@code field} aside from the payloads of ordinals {@code [0, allocated)}, covering the
     * {@code committed} ones, and renames it into place (replacing a damaged one). The writer holds its allocation
     * lock: no ordinal is added meanwhile.
     */
    FieldColumn build(String field, int committed, int allocated, Payloads payloads) throws IOException {
        Path build = dir.resolve(BUILD_DIR);
        Files.createDirectories(build);
        String name = FieldColumn.fileName(field, generation);
        Path staged = build.resolve(name);
        Files.deleteIfExists(staged);
        FieldColumn c = FieldColumn.create(staged, field, indexId, extentSlots);
        try {
            fill(c, 0, allocated, payloads);
            c.file().forceMetadata();
            c.cover(committed);
            c.syncCovered();
            Files.move(staged, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            c.close();
            Files.deleteIfExists(staged);
            throw e;
        }
        c.close();
        io.mmgraph.store.Directories.force(dir);
        Path placed = dir.resolve(name);
        if (io.mmgraph.store.DurabilityRecorder.listener() != null) {
            io.mmgraph.store.DurabilityRecorder.replaced(placed, java.nio.ByteBuffer.wrap(Files.readAllBytes(placed)));
        }
        Files.deleteIfExists(build);
        // Open under its own name (its path is what a drop deletes and what syncs report), with what this writer wrote.
        FieldColumn placedColumn = FieldColumn.open(placed, indexId, extentSlots, MapMode.READ_WRITE);
        placedColumn.mapFor(allocated);
        placedColumn.written(allocated);
        return placedColumn;
    }

    /**
     * Writes and msyncs the entries of ordinals {@code [from, to)} from their payloads; an ordinal whose key record is
     * damaged gets an unwritten entry (its payload decides, and names the damage, when a filter meets it).
     */
    private static void fill(FieldColumn c, int from, int to, Payloads payloads) throws IOException {
        c.mapFor(to);
        for (int ord = from; ord < to; ord++) {
            Entry e;
            try {
                e = encode(parse(payloads.payload(ord)), c.field());
            } catch (CorruptIndexException damaged) {
                e = Entry.UNWRITTEN;
            }
            c.write(ord, e.kind(), e.value(), e.length());
        }
        c.force(from, to);
    }

    /** The writer: adds the column of {@code field}, built from ordinals {@code [0, allocated)}; false if it has one. */
    boolean add(String field, int committed, int allocated, Payloads payloads) throws IOException {
        FieldColumn.checkField(field);
        if (column(field) != null) {
            return false;
        }
        FieldColumn c = build(field, committed, allocated, payloads);
        List<FieldColumn> now = new ArrayList<>(columns);
        now.add(c);
        columns = List.copyOf(now);
        return true;
    }

    /** The writer: deletes the column of {@code field}; false if it had none. Searches under way keep reading it. */
    boolean drop(String field) throws IOException {
        FieldColumn c = column(field);
        if (c == null) {
            return false;
        }
        List<FieldColumn> now = new ArrayList<>(columns);
        now.remove(c);
        columns = List.copyOf(now);
        synchronized (retired) {
            retired.add(c);
        }
        Files.deleteIfExists(c.path());
        io.mmgraph.store.Directories.force(dir);
        return true;
    }

    /** The writer, under its allocation lock: maps every column for {@code count} ordinals (growth first). */
    void mapFor(long count) throws IOException {
        for (FieldColumn c : columns) {
            c.mapFor(count);
        }
    }

    /** The writer: writes ordinal {@code ordinal}'s entries from its payload's UTF-8 bytes (empty: none). */
    void append(int ordinal, byte[] payload) {
        List<FieldColumn> all = columns;
        if (all.isEmpty()) {
            return;
        }
        Object parsed = payload.length == 0 ? null : parse(new String(payload, StandardCharsets.UTF_8));
        for (FieldColumn c : all) {
            Entry e = encode(parsed, c.field());
            c.write(ordinal, e.kind(), e.value(), e.length());
        }
    }

    /** The writer, under its allocation lock: entries of ordinals {@code [0, count)} are written. */
    void written(long count) {
        for (FieldColumn c : columns) {
            c.written(count);
        }
    }

    /** The writer, before the manifest of a commit of {@code count} ordinals: msyncs the entries it will cover. */
    void force(long count) throws IOException {
        for (FieldColumn c : columns) {
            c.force(Math.min(c.covered(), count), count);
        }
    }

    /** The writer, after that manifest: the entries of {@code count} ordinals are covered. */
    void cover(long count) throws IOException {
        for (FieldColumn c : columns) {
            if (c.covered() != count) {
                c.cover(count);
            }
        }
    }

    /**
     * Builds the columns of {@code fields} for the files of another generation (compaction), covering all
     * {@code count} ordinals, each synced and renamed into place under that generation's name.
     */
    static void buildGeneration(Path dir, long indexId, int extentSlots, long generation, List<String> fields,
                                int count, Payloads payloads) throws IOException {
        FieldIndexes next = new FieldIndexes(dir, indexId, extentSlots, generation, MapMode.READ_WRITE);
        try (next) {
            for (String field : fields) {
                next.add(field, count, count, payloads);
            }
        }
    }

    /** Deletes the column files of every generation but {@code generation}, and a build's leftovers. */
    static void deleteOtherGenerations(Path dir, long generation) throws IOException {
        try (var entries = Files.list(dir)) {
            for (Path p : entries.toList()) {
                String name = p.getFileName().toString();
                if (FieldColumn.isColumnFile(name) && FieldColumn.fieldOf(name, generation) == null) {
                    Files.deleteIfExists(p);
                }
            }
        }
        IdStore.deleteBuildDir(dir.resolve(BUILD_DIR));
    }

    // ------------------------------------------------------------------------------------------------ check

    /**
     * Verifies every column file of the generation against the payloads of the {@code committed} ordinals: it opens,
     * names the field its file is named after, covers no more than is committed, and each covered entry passes its
     * check and equals the entry of its payload. Adds what it finds to {@code problems}; returns the bytes read.
     */
    long verify(int committed, java.util.function.LongSupplier newestCommitted, Payloads payloads,
                List<String> problems) throws IOException {
        long bytes = 0;
        for (Map.Entry<String, Path> e : columnFiles(dir, generation).entrySet()) {
            String name = e.getValue().getFileName().toString();
            FieldColumn c;
            try {
                c = FieldColumn.open(e.getValue(), indexId, extentSlots, MapMode.READ_ONLY);
            } catch (java.nio.file.NoSuchFileException dropped) {
                continue; // dropped, or compacted away, since the listing
            } catch (IOException damaged) {
                problems.add(name + ": " + damaged.getMessage() + " (a writer rebuilds it)");
                continue;
            }
            try (c) {
                if (!c.field().equals(e.getKey())) {
                    problems.add(name + ": holds the column of '" + c.field() + "', not of '" + e.getKey() + "'");
                    continue;
                }
                // A writer may have committed and covered more since this handle's commit: only a count ahead of the
                // newest commit is damage.
                if (c.covered() > committed && c.covered() > newestCommitted.getAsLong()) {
                    problems.add(name + ": covers " + c.covered() + " ordinals, more than the "
                            + newestCommitted.getAsLong() + " committed");
                    continue;
                }
                long checked = Math.min(c.covered(), committed);
                for (int ord = 0; ord < checked; ord++) {
                    Entry want;
                    try {
                        want = encode(parse(payloads.payload(ord)), c.field());
                    } catch (CorruptIndexException damagedPayload) {
                        continue; // the keys' and docs' own check reports it
                    }
                    int meta = c.meta(ord);
                    if (meta == FieldColumn.UNWRITTEN) {
                        problems.add(name + ": entry " + ord + " does not match its check");
                    } else if (meta != (want.kind() | want.length() << 8) || c.value(ord) != want.value()) {
                        problems.add(name + ": entry " + ord + " does not hold its payload's value of '"
                                + c.field() + "'");
                    }
                }
                bytes += checked * io.mmgraph.format.FormatConstants.FIELD_ENTRY_BYTES;
            }
        }
        return bytes;
    }

    @Override
    public void close() throws IOException {
        List<FieldColumn> all = new ArrayList<>(columns);
        synchronized (retired) {
            all.addAll(retired);
        }
        if (mode == MapMode.READ_WRITE) {
            for (FieldColumn c : columns) {
                try {
                    c.syncCovered();
                } catch (IOException | RuntimeException ignored) {
                    // speed only: the next writer extends the column from the last durable count
                }
            }
        }
        columns = List.of();
        io.mmgraph.store.Closing.closeAll(all);
    }
}
