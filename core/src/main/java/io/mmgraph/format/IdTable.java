package io.mmgraph.format;

import io.mmgraph.store.MapMode;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The id table ({@code ids.mmg}): an open-addressing hash table with linear probing from an id's {@link KeyHash} to
 * the ordinals stored under it, mapped, so that finding an id reads a few slots and key records rather than a map
 * rebuilt on the heap at open.
 *
 * <p>A data file with the usual header (kind {@link FileKind#IDS}) and one extent of {@link #capacity()} slots of
 * {@link FormatConstants#ID_SLOT_BYTES} bytes: the hash's high 32 bits, then the ordinal plus one (little-endian
 * long; 0 is an empty slot). A slot starts its probe at the hash's low bits. Slots are only ever added: a slot whose
 * ordinal was deleted, replaced by an upsert, or never committed (a writer died) is stale, and a look-up skips it
 * because it checks each candidate against its key record and the id's bytes. The table is derived data: it is not
 * in the manifest, a writer rebuilds it when it is missing, and it grows by building a larger one aside and renaming
 * it over this one, which readers notice by the file's identity changing ({@link #fileKey}).
 *
 * <p>Writers add slots before the commit that publishes their ordinals and msync the table before the manifest, so a
 * reader that reads the manifest and then opens the table finds every committed id.
 */
public final class IdTable implements AutoCloseable {
    private static final ValueLayout.OfLong SLOT = ValueLayout.JAVA_LONG.withOrder(FormatConstants.BYTE_ORDER);

    private final RecordFile file;
    private final MemorySegment slots;
    private final int capacity;
    private final Object fileKey;

    private IdTable(RecordFile file, Object fileKey) {
        this.file = file;
        this.slots = file.extent(0);
        this.capacity = file.layout().recordsPerExtent();
        this.fileKey = fileKey;
    }

    /** Slots for a table that holds {@code ids} at most half full: a power of two, at least the minimum. */
    public static int capacityFor(long ids) {
        long want = Math.max(FormatConstants.MIN_ID_SLOTS, 2 * ids);
        long pow = Long.highestOneBit(want);
        long capacity = pow == want ? pow : pow << 1;
        if (capacity > 1 << 30) {
            throw new IllegalStateException("an id table for " + ids + " ids exceeds 2^30 slots");
        }
        return (int) capacity;
    }

    /**
     * Slots for a table built to hold {@code ids}: room for half as many again before it is half full and grows, so
     * that growth (a rebuild of the whole table) happens at geometrically spaced sizes.
     */
    public static int capacityForRebuild(long ids) {
        return capacityFor(ids + ids / 2);
    }

    private static SlotLayout layout(int capacity) {
        return new SlotLayout(FormatConstants.ID_SLOT_BYTES, capacity);
    }

    /** Creates an empty table of {@code capacity} slots ({@link #capacityFor}) at {@code path}, reserved and mapped. */
    public static IdTable create(Path path, long indexId, int capacity) throws IOException {
        SlotLayout layout = layout(capacity);
        RecordFile f = RecordFile.createAt(path, FileHeader.of(FileKind.IDS, layout, indexId, 0, 0), layout);
        try {
            f.mapFor(layout.recordsPerExtent());
            return new IdTable(f, fileKey(path));
        } catch (IOException | RuntimeException e) {
            f.close();
            throw e;
        }
    }

    /**
     * Opens the table at {@code path}, or returns null when there is none. A table renamed over while it is opened
     * is opened again.
     *
     * @throws CorruptIndexException when its header is damaged or belongs to another index
     */
    public static IdTable open(Path path, long indexId, MapMode mode) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Object key = fileKeyOrNull(path);
            if (key == null) {
                return null;
            }
            ByteBuffer block = ByteBuffer.allocate(FormatConstants.BLOCK_SIZE);
            try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
                while (block.hasRemaining() && ch.read(block, block.position()) > 0) {
                    // read the header block
                }
            } catch (NoSuchFileException e) {
                return null;
            }
            if (!key.equals(fileKeyOrNull(path))) {
                continue; // replaced by a larger table while the header was read: read the new one's
            }
            block.flip();
            FileHeader header = FileHeader.decode(path, block);
            int capacity = header.recordsPerExtent();
            if (header.kind() != FileKind.IDS || capacity < FormatConstants.MIN_ID_SLOTS
                    || Integer.bitCount(capacity) != 1) {
                throw new CorruptIndexException(path, "is not an id table of a power-of-two capacity");
            }
            RecordFile f;
            try {
                f = RecordFile.open(path, FileKind.IDS, layout(capacity), indexId, mode, capacity);
            } catch (CorruptIndexException | NoSuchFileException e) {
                if (attempt < 3 && !key.equals(fileKeyOrNull(path))) {
                    continue; // replaced by a larger table since the header was read
                }
                throw e;
            }
            if (!key.equals(fileKeyOrNull(path))) {
                f.close();
                continue;
            }
            return new IdTable(f, key);
        }
    }

    /** The identity of the file now at {@code path} (inode), or null when there is none. */
    public static Object fileKeyOrNull(Path path) {
        try {
            return fileKey(path);
        } catch (IOException e) {
            return null;
        }
    }

    private static Object fileKey(Path path) throws IOException {
        Object key = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
        return key != null ? key : Files.getLastModifiedTime(path); // no inode (not POSIX): a weaker identity
    }

    /** The identity of the file this table was opened from: it was replaced when the path now names another. */
    public Object fileKey() {
        return fileKey;
    }

    public int capacity() {
        return capacity;
    }

    /** The ordinals stored under {@code hash}'s tag, in probe order (a probe ends at an empty slot). */
    public int[] candidates(long hash) {
        int mask = capacity - 1;
        int tag = (int) (hash >>> 32);
        int[] out = new int[4];
        int n = 0;
        for (int i = (int) hash & mask, probed = 0; probed < capacity; i = (i + 1) & mask, probed++) {
            long slot = slots.getAtIndex(SLOT, i);
            if (slot == 0) {
                break;
            }
            if ((int) (slot >>> 32) == tag) {
                if (n == out.length) {
                    out = java.util.Arrays.copyOf(out, 2 * n);
                }
                out[n++] = (int) slot - 1;
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /** Stores {@code ordinal} under {@code hash} in the first empty slot of its probe; the caller keeps room. */
    public void insert(long hash, int ordinal) {
        int mask = capacity - 1;
        long value = (hash & 0xFFFF_FFFF_0000_0000L) | ((ordinal + 1L) & 0xFFFF_FFFFL);
        for (int i = (int) hash & mask, probed = 0; probed < capacity; i = (i + 1) & mask, probed++) {
            if (slots.getAtIndex(SLOT, i) == 0) {
                slots.setAtIndex(SLOT, i, value);
                return;
            }
        }
        throw new IllegalStateException("id table " + file.path() + " is full");
    }

    /** Slots in use (a pass over the whole table). */
    public long countUsed() {
        long used = 0;
        for (int i = 0; i < capacity; i++) {
            used += slots.getAtIndex(SLOT, i) != 0 ? 1 : 0;
        }
        return used;
    }

    /** The ordinal (plus one) in slot {@code i}, 0 for an empty slot: for checks that walk the whole table. */
    public int slotOrdinalPlusOne(int i) {
        return (int) slots.getAtIndex(SLOT, i);
    }

    /** msync every slot, and the file's length where it was just created. */
    public void force() throws IOException {
        file.forceAll();
    }

    public RecordFile file() {
        return file;
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
