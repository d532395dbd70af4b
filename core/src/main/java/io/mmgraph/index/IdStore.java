package io.mmgraph.index;

import io.mmgraph.format.CorruptIndexException;
import io.mmgraph.format.Crc;
import io.mmgraph.format.DocRecords;
import io.mmgraph.format.FileKind;
import io.mmgraph.format.FormatConstants;
import io.mmgraph.format.IdTable;
import io.mmgraph.format.IndexFiles;
import io.mmgraph.format.KeyHash;
import io.mmgraph.format.KeyRecords;
import io.mmgraph.format.Manifest;
import io.mmgraph.store.DurabilityRecorder;
import io.mmgraph.store.MapMode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * The ids and payloads of one index: writes each ordinal's key record and bytes, keeps the id table, and finds the
 * ordinal an id names. Knows nothing of the graph; {@link MMapGraph} says which ordinals are visible and live.
 *
 * <p>An id may be stored under several ordinals (an upsert adds a new vector and deletes the old one; a writer that
 * died leaves slots of ordinals that were never committed): a look-up takes the highest visible, live ordinal whose
 * record holds the id's bytes.
 */
final class IdStore implements AutoCloseable {
    private static final String BUILD_DIR = ".ids-build";

    private final Path dir;
    /** The id table's file: its name in the index's generation. */
    private final Path tablePath;
    private final long indexId;
    private final IndexFiles files;
    private final MapMode mode;
    /** Null until a reader's first look-up; the writer's from open. Replaced when the table grows. */
    private volatile IdTable table;
    /** Tables replaced by larger ones: still mapped, for look-ups that began before; closed with the store. */
    private final List<IdTable> retired = new ArrayList<>();
    /** The writer's slots in use; -1 until counted (at the first insert: opening reads no slots). */
    private long used = -1;
    /** The writer's next byte of the docs file. */
    private long docEnd;

    IdStore(Path dir, Path tablePath, long indexId, IndexFiles files, MapMode mode) {
        this.dir = dir;
        this.tablePath = tablePath;
        this.indexId = indexId;
        this.files = files;
        this.mode = mode;
    }

    /** UTF-8 bytes of {@code id}, checked. */
    static byte[] idBytes(String id) {
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("an id must be a non-empty string");
        }
        byte[] b = id.getBytes(StandardCharsets.UTF_8);
        if (b.length > FormatConstants.MAX_KEY_BYTES) {
            throw new IllegalArgumentException("id of " + b.length + " UTF-8 bytes exceeds "
                    + FormatConstants.MAX_KEY_BYTES);
        }
        return b;
    }

    /** UTF-8 bytes of {@code payload} (null: none), checked. */
    static byte[] payloadBytes(String payload) {
        byte[] b = payload == null ? new byte[0] : payload.getBytes(StandardCharsets.UTF_8);
        if (b.length > FormatConstants.MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("payload of " + b.length + " UTF-8 bytes exceeds "
                    + FormatConstants.MAX_PAYLOAD_BYTES);
        }
        return b;
    }

    // ------------------------------------------------------------------------------------------------ writer

    /**
     * The writer, at open: appends after the {@code docBytes} its commit covers (bytes past them are an unclean
     * shutdown's leftovers), and opens the id table, rebuilding it from the first {@code count} key records when it
     * is missing or its header is damaged.
     */
    void openForWriting(long docBytes, int count) throws IOException {
        docEnd = docBytes;
        IdTable t;
        try {
            t = IdTable.open(tablePath, indexId, MapMode.READ_WRITE);
        } catch (CorruptIndexException e) {
            t = null; // derived data: rebuilt below
        }
        if (t == null) {
            rebuild(count, 0);
        } else {
            table = t;
        }
    }

    /**
     * Makes sure the index {@code m} describes has its id table, building it from the committed key records where it
     * is missing or its header damaged: a writer calls it before it commits anything (after an upgrade, before the
     * first commit that names keys).
     */
    static void ensureTable(Path dir, Manifest m, IndexFiles files) throws IOException {
        try (IdStore s = new IdStore(dir, m.path(dir, FileKind.IDS), m.indexId(), files, MapMode.READ_WRITE)) {
            s.openForWriting(m.docBytes(), (int) m.committedCount());
        }
    }

    /** Creates the empty id table of a new index at {@code path} (replacing a leftover), synced. */
    static void createEmptyTable(Path path, long indexId) throws IOException {
        Files.deleteIfExists(path);
        try (IdTable t = IdTable.create(path, indexId, IdTable.capacityFor(0))) {
            t.force();
            t.file().forceMetadata();
        }
    }

    /** A reader, at open: opens the id table if there is one (a look-up reports a missing one by name). */
    void openForReading() throws IOException {
        IdTable t = IdTable.open(tablePath, indexId, mode);
        if (t != null) {
            table = t;
        }
    }

    /**
     * Writes ordinal {@code ordinal}'s key record and bytes ({@code id} null: none), under the writer's allocation
     * lock, in ordinal order. Returns the id's hash, for {@link #index} once the record is written.
     */
    long append(int ordinal, byte[] id, byte[] payload) throws IOException {
        KeyRecords keys = files.keys();
        if (id == null && payload.length == 0) {
            keys.write(ordinal, KeyRecords.Key.none(docEnd));
            return 0;
        }
        int keyLength = id == null ? 0 : id.length;
        byte[] bytes = new byte[keyLength + payload.length];
        if (id != null) {
            System.arraycopy(id, 0, bytes, 0, keyLength);
        }
        System.arraycopy(payload, 0, bytes, keyLength, payload.length);
        DocRecords docs = files.docs();
        docs.mapFor(docEnd + bytes.length);
        docs.write(docEnd, bytes);
        long hash = id == null ? 0 : KeyHash.of(id);
        keys.write(ordinal, new KeyRecords.Key(docEnd, hash, keyLength, payload.length, Crc.of(bytes, 0, bytes.length)));
        docEnd += bytes.length;
        return hash;
    }

    /**
     * Adds {@code ordinal} under {@code hash} to the id table (the writer, under its id lock), first growing the
     * table when it would be more than half full: rebuilt from the key records of {@code [0, limit)}.
     */
    void index(long hash, int ordinal, int limit) throws IOException {
        IdTable t = table;
        if (used < 0) {
            used = t.countUsed();
        }
        if (2 * (used + 1) > t.capacity()) {
            rebuild(limit, 1);
            t = table;
        }
        t.insert(hash, ordinal);
        used++;
    }

    /**
     * Builds a table of the ids of every key record in {@code [0, limit)}, with room for {@code extra} more and then
     * as many again, aside, and renames it over the current one (readers notice at refresh; their old mapping stays
     * valid). Deleted and replaced ordinals keep their slots: their deletions may not be committed yet, and a table
     * that lacked a committed vector's id would lose it for readers and after a crash. Compaction drops them.
     */
    private void rebuild(int limit, int extra) throws IOException {
        KeyRecords keys = files.keys();
        long keyed = 0;
        for (int ord = 0; ord < limit; ord++) {
            keyed += readKey(keys, ord).hasKey() ? 1 : 0;
        }
        Path build = dir.resolve(BUILD_DIR);
        deleteBuildDir(build);
        Files.createDirectories(build);
        Path staged = build.resolve(tablePath.getFileName());
        IdTable fresh = IdTable.create(staged, indexId, IdTable.capacityForRebuild(keyed + extra));
        long inserted = 0;
        try {
            for (int ord = 0; ord < limit; ord++) {
                KeyRecords.Key k = readKey(keys, ord);
                if (k.hasKey()) {
                    fresh.insert(k.keyHash(), ord);
                    inserted++;
                }
            }
            fresh.force();
            fresh.file().forceMetadata();
            Files.move(staged, tablePath, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            fresh.close();
            throw e;
        }
        // From the rename on, the new table is the one: slots must go into it whatever fails below.
        IdTable old = table;
        table = fresh;
        used = inserted;
        if (old != null) {
            synchronized (retired) {
                retired.add(old);
            }
        }
        io.mmgraph.store.Directories.force(dir);
        if (DurabilityRecorder.listener() != null) {
            DurabilityRecorder.replaced(tablePath, ByteBuffer.wrap(Files.readAllBytes(tablePath)));
        }
        deleteBuildDir(build);
    }

    /** Deletes a folder where a table or column was built aside, and what a build that died left in it. */
    static void deleteBuildDir(Path build) throws IOException {
        if (Files.isDirectory(build)) {
            try (var s = Files.list(build)) {
                for (Path p : s.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(build);
        }
    }

    /** After a failed allocation of ordinals from {@code first} on: the next appends start where they started. */
    void rollback(int first) throws IOException {
        docEnd = docBytes(first);
    }

    /** Where the docs of {@code count} ordinals end: the committed length of the docs file for that count. */
    long docBytes(int count) throws IOException {
        return count == 0 ? 0 : readKey(files.keys(), count - 1).docEnd();
    }

    /** Makes the id table's slots durable (before a commit's manifest). */
    void force() throws IOException {
        IdTable t = table;
        if (t != null) {
            t.force();
        }
    }

    // ------------------------------------------------------------------------------------------------ reading

    /**
     * The highest ordinal below {@code limit} that {@code live} accepts and whose record holds {@code id}; -1 when
     * there is none.
     */
    int find(byte[] id, int limit, IntPredicate live) throws IOException {
        IdTable t = table();
        long hash = KeyHash.of(id);
        KeyRecords keys = files.keys();
        int best = -1;
        for (int ord : t.candidates(hash)) {
            if (ord > best && ord < limit && live.test(ord)) {
                KeyRecords.Key k = readKey(keys, ord);
                if (k.keyHash() == hash && k.keyLength() == id.length
                        && Arrays.equals(files.docs().read(k.docOffset(), k.keyLength()), id)) {
                    best = ord;
                }
            }
        }
        return best;
    }

    /** The id of {@code ordinal}, or null when it has none. */
    String id(int ordinal) throws IOException {
        KeyRecords.Key k = readKey(files.keys(), ordinal);
        return k.hasKey() ? new String(files.docs().read(k.docOffset(), k.keyLength()), StandardCharsets.UTF_8)
                : null;
    }

    /** The payload of {@code ordinal}, or null when it has none. */
    String payload(int ordinal) throws IOException {
        KeyRecords.Key k = readKey(files.keys(), ordinal);
        return k.payloadLength() == 0 ? null : new String(
                files.docs().read(k.docOffset() + k.keyLength(), k.payloadLength()), StandardCharsets.UTF_8);
    }

    private KeyRecords.Key readKey(KeyRecords keys, int ordinal) throws CorruptIndexException {
        KeyRecords.Key k = keys.read(ordinal);
        if (k == null) {
            throw new CorruptIndexException(keys.file().path(), "key record " + ordinal
                    + " does not match its CRC32C or holds lengths out of range");
        }
        return k;
    }

    /** The id table this store has open, or null (a reader of an index whose table is missing). */
    IdTable openTable() {
        return table;
    }

    /** The id table (a reader's: opened at open or refresh, or at its first look-up after a writer rebuilt it). */
    IdTable table() throws IOException {
        IdTable t = table;
        if (t != null) {
            return t;
        }
        synchronized (retired) {
            if (table == null) {
                t = IdTable.open(tablePath, indexId, mode);
                if (t == null) {
                    throw new CorruptIndexException(tablePath, "the id table is missing; "
                            + "opening the index for writing once rebuilds it");
                }
                table = t;
            }
            return table;
        }
    }

    /** A reader, at refresh: opens the id table again when a writer replaced it by a larger one. */
    void refresh() throws IOException {
        IdTable t = table;
        if (t != null && !t.fileKey().equals(IdTable.fileKeyOrNull(tablePath))) {
            synchronized (retired) {
                retired.add(t);
                table = null;
            }
        }
    }

    @Override
    public void close() throws IOException {
        List<IdTable> all = new ArrayList<>(retired);
        if (table != null) {
            all.add(table);
        }
        io.mmgraph.store.Closing.closeAll(all);
    }
}
