package io.mmgraph.format;

import io.mmgraph.store.MapMode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A payload field column ({@code field-NAME.mmg}): one {@value FormatConstants#FIELD_ENTRY_BYTES}-byte entry per
 * ordinal holding the value of one payload field, so that a filter on the field reads an entry where it would
 * otherwise read and parse the payload. Derived data, like the id table: never named in the manifest; a writer
 * builds, extends and (when damaged) rebuilds it from the payloads.
 *
 * <p>The file: the usual {@link FileHeader} (kind {@link FileKind#FIELD}, the index's extent size), then in the
 * prologue
 * <pre>
 *   4096  int   pathLength     UTF-8 bytes of the field's path (keys joined by dots)
 *   4100  byte[] path
 *   8188  int   CRC32C of bytes [4096, 8188)
 *   8192  long  covered        entries [0, covered) hold the values of committed payloads
 *   8200  int   CRC32C of bytes [8192, 8200)
 * </pre>
 * and one entry per ordinal from byte 65536:
 * <pre>
 *    0  long  value    NUMBER: Double.doubleToLongBits; BOOLEAN: 0 or 1; SHORT_STRING: its UTF-8 bytes, little-endian,
 *                      zero-padded; LONG_STRING: the {@link KeyHash} of its UTF-8 bytes; other kinds: 0
 *    8  byte  kind     {@link #UNWRITTEN} .. {@link #MIXED}
 *    9  byte  length   UTF-8 bytes of a SHORT_STRING; else 0
 *   10  short 0
 *   12  int   check    {@link #check}(ordinal, value, kind | length << 8)
 * </pre>
 *
 * <p>Why {@code covered}: entries are written with their vectors, msynced before the manifest that commits them, and
 * counted as covered only after that commit. A reader trusts entries below {@code covered} only, so an entry left by
 * a writer that died before its commit (whose ordinal the next writer hands out again) is never read, and a writer
 * that does not keep the column (none does yet: future-proofing) leaves {@code covered} behind, not wrong. Losing the
 * covered block costs speed (the next writer extends the column from there), never a wrong answer.
 *
 * <p>Why a 32-bit check rather than CRC32C per entry: a filter reads an entry per candidate, and a mix of three longs
 * costs a few cycles without an allocation. It catches a damaged or torn entry, which then reads as
 * {@link #UNWRITTEN} (the payload decides); it is not a defence against chosen damage.
 */
public final class FieldColumn implements AutoCloseable {
    /** Never written, damaged, or past {@code covered}: the payload decides. */
    public static final int UNWRITTEN = 0;
    /** No value: the field is missing, null or an object, or the payload is not JSON. No condition holds. */
    public static final int ABSENT = 1;
    public static final int NUMBER = 2;
    public static final int BOOLEAN = 3;
    /** A string of at most {@link #SHORT_STRING_BYTES} UTF-8 bytes, stored whole. */
    public static final int SHORT_STRING = 4;
    /** A longer string, stored as its hash: an equal hash leaves the payload to decide, a different one is exact. */
    public static final int LONG_STRING = 5;
    /** An array of different values, or a string that is not well-formed Unicode: the payload decides. */
    public static final int MIXED = 6;
    public static final int SHORT_STRING_BYTES = 8;

    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(FormatConstants.BYTE_ORDER);
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(FormatConstants.BYTE_ORDER);
    private static final int DESCRIPTOR_AT = FormatConstants.BLOCK_SIZE;
    private static final int COVERED_AT = 2 * FormatConstants.BLOCK_SIZE;
    private static final int PREFIX = "field-".length();

    private final RecordFile file;
    private final String field;
    private volatile long covered;
    /** Entries this handle may read: {@link #covered}, or for the writer every entry it wrote ({@link #written}). */
    private volatile long readable;
    /** The writer's extents when the file's length was last synced. */
    private int syncedExtents;

    /** The identity (inode) of the file this column was opened from; null where the platform has none. */
    private final Object fileKey;

    private FieldColumn(RecordFile file, String field, long covered) {
        this.file = file;
        this.field = field;
        this.covered = covered;
        this.readable = covered;
        this.fileKey = fileKey(file.path());
    }

    private static Object fileKey(Path path) {
        try {
            return java.nio.file.Files.readAttributes(path, java.nio.file.attribute.BasicFileAttributes.class)
                    .fileKey();
        } catch (IOException gone) {
            return null;
        }
    }

    /** Whether the file at this column's path is still the one it mapped (not dropped, nor replaced by a rebuild). */
    public boolean isStillAtItsPath() {
        Object now = fileKey(file.path());
        return fileKey == null ? java.nio.file.Files.exists(file.path()) : fileKey.equals(now);
    }

    // ------------------------------------------------------------------------------------------------ names

    /**
     * The column file of {@code field} in generation {@code generation}: {@code field-NAME.mmg}, or
     * {@code field-NAME.G.mmg} after compaction, where NAME keeps ASCII letters, digits, {@code _} and {@code -} and
     * writes every other UTF-8 byte (the path's dots too) as {@code %XX}, so a name is a valid file name everywhere and
     * the generation suffix cannot be mistaken for part of it.
     */
    public static String fileName(String field, long generation) {
        checkField(field);
        StringBuilder name = new StringBuilder("field-");
        for (byte b : field.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (keptInName(c)) {
                name.append(c);
            } else {
                name.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return name.append(generation == 0 ? "" : "." + generation).append(".mmg").toString();
    }

    /** The field whose column of generation {@code generation} the file {@code fileName} is, or null when it is none. */
    public static String fieldOf(String fileName, long generation) {
        String suffix = (generation == 0 ? "" : "." + generation) + ".mmg";
        if (!fileName.startsWith("field-") || !fileName.endsWith(suffix)) {
            return null;
        }
        String name = fileName.substring(PREFIX, fileName.length() - suffix.length());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '%' && i + 2 < name.length()) {
                int hi = Character.digit(name.charAt(i + 1), 16);
                int lo = Character.digit(name.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                bytes.write(hi << 4 | lo);
                i += 2;
            } else if (keptInName(c)) {
                bytes.write(c);
            } else {
                return null; // a dot: another generation's suffix, or not a column's name
            }
        }
        String field = new String(bytes.toByteArray(), StandardCharsets.UTF_8);
        return !field.isEmpty() && fileName(field, generation).equals(fileName) ? field : null;
    }

    /** Whether a path's byte {@code c} stands as itself in a column's file name (else it is written {@code %XX}). */
    private static boolean keptInName(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    }

    /** Whether {@code fileName} names a column file of any generation. */
    public static boolean isColumnFile(String fileName) {
        if (!fileName.startsWith("field-") || !fileName.endsWith(".mmg")) {
            return false;
        }
        String rest = fileName.substring(PREFIX, fileName.length() - ".mmg".length());
        int dot = rest.lastIndexOf('.');
        long generation = 0;
        if (dot >= 0) {
            try {
                generation = Long.parseLong(rest.substring(dot + 1));
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return fieldOf(fileName, generation) != null;
    }

    /** Refuses a path no column can index: empty, too long, or with an empty key. */
    public static void checkField(String field) {
        if (field == null || field.isEmpty()) {
            throw new IllegalArgumentException("a field path must be a non-empty string");
        }
        if (field.getBytes(StandardCharsets.UTF_8).length > FormatConstants.MAX_FIELD_PATH_BYTES) {
            throw new IllegalArgumentException("field path of more than " + FormatConstants.MAX_FIELD_PATH_BYTES
                    + " UTF-8 bytes");
        }
        if (field.startsWith(".") || field.endsWith(".") || field.contains("..")) {
            throw new IllegalArgumentException("field path '" + field + "' has an empty key");
        }
        int nameLength = 0;
        for (byte b : field.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            nameLength += keptInName(c) ? 1 : 3;
        }
        if (nameLength > MAX_NAME_CHARS) {
            throw new IllegalArgumentException("field path '" + field + "' is too long for a column's file name ("
                    + nameLength + " characters escaped, at most " + MAX_NAME_CHARS + ")");
        }
    }

    /** Longest escaped field name: with "field-", a generation and ".mmg" it stays within 255-byte file names. */
    public static final int MAX_NAME_CHARS = 200;

    // ------------------------------------------------------------------------------------------------ open

    private static SlotLayout layout(int extentSlots) {
        return new SlotLayout(FormatConstants.FIELD_ENTRY_BYTES, extentSlots);
    }

    /** Creates an empty column of {@code field} at {@code path}, covering nothing, durable on return. */
    public static FieldColumn create(Path path, String field, long indexId, int extentSlots) throws IOException {
        checkField(field);
        SlotLayout layout = layout(extentSlots);
        RecordFile f = RecordFile.createAt(path, FileHeader.of(FileKind.FIELD, layout, indexId, 0, 0), layout);
        try {
            byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
            ByteBuffer d = ByteBuffer.allocate(FormatConstants.BLOCK_SIZE).order(FormatConstants.BYTE_ORDER);
            d.putInt(0, bytes.length).put(4, bytes);
            d.putInt(FormatConstants.BLOCK_SIZE - 4, Crc.of(d.array(), 0, FormatConstants.BLOCK_SIZE - 4));
            f.writePrologue(DESCRIPTOR_AT, d, true);
            f.writePrologue(COVERED_AT, coveredBlock(0), true);
            return new FieldColumn(f, field, 0);
        } catch (IOException | RuntimeException e) {
            f.close();
            throw e;
        }
    }

    /**
     * Opens the column at {@code path}: reads its header, descriptor and covered count (opening reads no entry) and
     * maps the entries it covers.
     *
     * @throws CorruptIndexException when the header or descriptor is damaged or belongs elsewhere
     */
    public static FieldColumn open(Path path, long indexId, int extentSlots, MapMode mode) throws IOException {
        RecordFile f = RecordFile.open(path, FileKind.FIELD, layout(extentSlots), indexId, mode, 0);
        try {
            ByteBuffer p = f.readPrologue(COVERED_AT + FormatConstants.BLOCK_SIZE).order(FormatConstants.BYTE_ORDER);
            if (p.limit() < COVERED_AT + 12) {
                throw new TruncatedIndexException(path, COVERED_AT + 12, p.limit());
            }
            byte[] block = new byte[FormatConstants.BLOCK_SIZE];
            p.get(DESCRIPTOR_AT, block);
            int length = p.getInt(DESCRIPTOR_AT);
            if (Crc.of(block, 0, block.length - 4) != p.getInt(COVERED_AT - 4) || length < 1
                    || length > FormatConstants.MAX_FIELD_PATH_BYTES) {
                throw new CorruptIndexException(path, "field column descriptor (bytes 4096-8191) is damaged");
            }
            String field = new String(block, 4, length, StandardCharsets.UTF_8);
            // No more than the file holds: a count whose growth did not reach the disk must not grow the file here.
            SlotLayout layout = f.layout();
            long held = Math.max(0, (f.fileSize() - FormatConstants.PROLOGUE_BYTES) / layout.extentBytes())
                    * layout.recordsPerExtent();
            FieldColumn c = new FieldColumn(f, field, Math.min(decodeCovered(p), held));
            f.mapFor(c.covered);
            c.syncedExtents = f.mappedExtents();
            return c;
        } catch (IOException | RuntimeException e) {
            f.close();
            throw e;
        }
    }

    private static ByteBuffer coveredBlock(long covered) {
        ByteBuffer b = ByteBuffer.allocate(12).order(FormatConstants.BYTE_ORDER);
        b.putLong(0, covered);
        b.putInt(8, Crc.of(b.array(), 0, 8));
        return b;
    }

    /** The covered count, or 0 when its block is damaged (a torn write): the column is then extended again. */
    private static long decodeCovered(ByteBuffer prologue) {
        byte[] b = new byte[8];
        prologue.get(COVERED_AT, b);
        long covered = prologue.getLong(COVERED_AT);
        return Crc.of(b, 0, 8) == prologue.getInt(COVERED_AT + 8) && covered >= 0 ? covered : 0;
    }

    // ------------------------------------------------------------------------------------------------ use

    public String field() {
        return field;
    }

    public Path path() {
        return file.path();
    }

    public RecordFile file() {
        return file;
    }

    /** Entries {@code [0, covered())} hold committed values. */
    public long covered() {
        return covered;
    }

    /** A reader: rereads the covered count a writer advanced, mapping the entries it adds. */
    public void refreshCovered() throws IOException {
        ByteBuffer p = file.readPrologue(COVERED_AT + 12).order(FormatConstants.BYTE_ORDER);
        if (p.limit() < COVERED_AT + 12) {
            return;
        }
        long c = decodeCovered(p);
        if (c > covered) {
            file.mapFor(c);
            covered = c;
            readable = Math.max(readable, c);
        }
    }

    /**
     * The writer, after the commit of {@code count} ordinals whose entries it msynced before that commit: entries
     * {@code [0, count)} are covered. Not synced: a lost count is extended again by the next writer.
     */
    public void cover(long count) throws IOException {
        long before = covered;
        file.writePrologue(COVERED_AT, coveredBlock(count), false);
        covered = count;
        readable = count < before ? count : Math.max(readable, count); // lowered: entries past it are not trusted
    }

    /**
     * The writer, once it wrote the entries of ordinals {@code [0, count)} (before it publishes them): its own
     * searches read them before a commit covers them.
     */
    public void written(long count) {
        readable = Math.max(readable, count);
    }

    /** Makes the covered count durable (at a clean close, so that the next writer need not extend the column). */
    public void syncCovered() throws IOException {
        file.writePrologue(COVERED_AT, coveredBlock(covered), true);
    }

    /** Maps (growing the file, for the writer) the extents that hold entries {@code [0, count)}. */
    public void mapFor(long count) throws IOException {
        file.mapFor(count);
    }

    /** Stores ordinal {@code ordinal}'s entry; the caller mapped the file for it. */
    public void write(long ordinal, int kind, long value, int length) {
        MemorySegment seg = file.segmentOf(ordinal);
        long at = file.offsetOf(ordinal);
        int meta = kind | length << 8;
        seg.set(LONG, at, value);
        seg.set(INT, at + 8, meta);
        seg.set(INT, at + 12, check(ordinal, value, meta));
    }

    /**
     * Ordinal {@code ordinal}'s kind and length ({@code kind | length << 8}), or {@link #UNWRITTEN} when the entry is
     * not covered (nor written by this writer) or does not match its check.
     */
    public int meta(long ordinal) {
        if (ordinal >= readable) {
            return UNWRITTEN;
        }
        MemorySegment seg = file.segmentOf(ordinal);
        long at = file.offsetOf(ordinal);
        return metaOf(ordinal, seg.get(LONG, at), seg.get(LONG, at + 8));
    }

    /** Ordinal {@code ordinal}'s value (meaningful after {@link #meta} returned a kind). */
    public long value(long ordinal) {
        return file.segmentOf(ordinal).get(LONG, file.offsetOf(ordinal));
    }

    /**
     * Copies the raw entries of ordinals {@code [from, from + count)}, which the caller knows to be mapped, into
     * {@code into} as two longs each: the value, then the kind, length and check ({@link #metaOf} decodes it). One bulk
     * copy per extent: a pass over a whole column reads it at memory speed.
     */
    public void read(long from, int count, long[] into) {
        SlotLayout layout = file.layout();
        int done = 0;
        while (done < count) {
            long ord = from + done;
            int inExtent = (int) Math.min(count - done,
                    layout.recordsPerExtent() - (ord - (long) layout.extentOf(ord) * layout.recordsPerExtent()));
            MemorySegment.copy(file.segmentOf(ord), LONG, file.offsetOf(ord), into, 2 * done, 2 * inExtent);
            done += inExtent;
        }
    }

    /**
     * The kind and length of a raw entry ({@link #read}) of {@code ordinal}, {@code kind | length << 8}, or
     * {@link #UNWRITTEN} when it fails its check.
     */
    public static int metaOf(long ordinal, long value, long metaAndCheck) {
        int meta = (int) metaAndCheck;
        return (int) (metaAndCheck >>> 32) == check(ordinal, value, meta) ? meta : UNWRITTEN;
    }

    /** Entries this handle may read (see {@link #meta}): a bulk reader stops there. */
    public long readable() {
        return readable;
    }

    /** The entry's check: a 64-bit mix (SplitMix64's finalizer) of its fields and ordinal, folded to 32 bits. */
    static int check(long ordinal, long value, int meta) {
        long h = value * 0x9E3779B97F4A7C15L + ordinal;
        h = (h ^ (h >>> 30)) * 0xBF58476D1CE4E5B9L + meta;
        h = (h ^ (h >>> 27)) * 0x94D049BB133111EBL;
        h ^= h >>> 31;
        return (int) (h ^ (h >>> 32)) | 1; // never 0: an entry of zeros never passes
    }

    /** msync entries {@code [from, to)}, and the file's length where it grew since. */
    public void force(long from, long to) throws IOException {
        file.force(from, to);
        int extents = file.mappedExtents();
        if (extents != syncedExtents) {
            file.forceMetadata();
            syncedExtents = extents;
        }
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
