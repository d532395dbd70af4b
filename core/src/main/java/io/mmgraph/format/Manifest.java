package io.mmgraph.format;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/**
 * One committed state of an index: what a copy of the manifest page records. Immutable.
 *
 * <p>Page layout (little-endian, {@link FormatConstants#MANIFEST_PAGE_BYTES} bytes; see docs/format.md):
 * <pre>
 *   0  int   magic            FormatConstants.MANIFEST_MAGIC
 *   4  int   formatVersion
 *   8  long  sequence         higher wins; copy A holds even, copy B odd sequences
 *  16  long  indexId          random; every data file header repeats it
 *  24  int   dimension
 *  28  int   metric           code of io.mmgraph.vector.Metric
 *  32  int   maxDegree        R, the neighbour-list capacity
 *  36  int   state            0 = closed cleanly, 1 = a writer had it open (lists are repaired at next writer open)
 *  40  long  committedCount   vectors in this commit
 *  48  int   extentSlots      records per growth extent the files were created with
 *  52  int   entryPoint       the graph's entry node, -1 while empty
 *  56  int   buildBeamWidth   L used by inserts (the search list size while building)
 *  60  float alpha            the robust-pruning parameter of the graph
 *  64  int   fileCount        entries in the file table
 *  68  int   codeBytes        product-quantization code bytes per vector (its subspaces M); 0 = no codes
 *  72  long  codedCount       ordinals [0, codedCount) have codes; 0 until the quantizer is trained
 *  80  int   codebookCrc      CRC32C of the codebook file before its trailing checksum; 0 while codedCount is 0
 *  84  int   codeTrainSize    the quantizer is trained when the index first holds this many vectors (0 if no codes)
 *  88  long  deleteCount      deletions committed: records of the deletes file (version 3 on)
 *  96  long  docBytes         bytes of the docs file committed (version 4 on)
 * 104  file table, fileCount entries of 16 bytes: int kind, int generation, long committedLength
 *  ... zero up to byte 4092
 * 4092 int   CRC32C of bytes [0, 4092)
 * </pre>
 * A version 3 page has no docBytes: its file table starts at byte 96, it has no keys or docs file and reads as
 * docBytes 0. Entries of the file table of versions 1 to 3 hold 0 where version 4 holds the generation: every entry
 * names the same one, 0 until the index is first compacted. A version 2 page has no deleteCount: its file table starts at byte 88, it has no deletes file and reads as
 * deleteCount 0. A version 1 page has no code fields either: its file table starts at byte 72, and it reads as
 * codeBytes 0. A manifest is written as version 4 when it names the keys and docs files, as version 3 when it names
 * a deletes file, as version 2 otherwise (a reader's backup of an older index keeps its version; a writer adds the
 * newer files when it opens one).
 */
public record Manifest(
        long sequence,
        long indexId,
        int dimension,
        int metricCode,
        int maxDegree,
        State state,
        long committedCount,
        int extentSlots,
        int entryPoint,
        int buildBeamWidth,
        float alpha,
        Map<FileKind, Long> committedLengths,
        int codeBytes,
        long codedCount,
        int codebookCrc,
        int codeTrainSize,
        long deleteCount,
        long docBytes,
        int generation) {

    /** Whether the writer that last wrote this copy closed cleanly. */
    public enum State {
        CLEAN(0),
        OPEN(1);

        final int code;

        State(int code) {
            this.code = code;
        }
    }

    static final int OFF_MAGIC = 0;
    static final int OFF_VERSION = 4;
    static final int OFF_SEQUENCE = 8;
    static final int OFF_INDEX_ID = 16;
    static final int OFF_DIMENSION = 24;
    static final int OFF_METRIC = 28;
    static final int OFF_MAX_DEGREE = 32;
    static final int OFF_STATE = 36;
    static final int OFF_COMMITTED_COUNT = 40;
    static final int OFF_EXTENT_SLOTS = 48;
    static final int OFF_ENTRY_POINT = 52;
    static final int OFF_BUILD_BEAM_WIDTH = 56;
    static final int OFF_ALPHA = 60;
    static final int OFF_FILE_COUNT = 64;
    static final int OFF_CODE_BYTES = 68;
    static final int OFF_CODED_COUNT = 72;
    static final int OFF_CODEBOOK_CRC = 80;
    static final int OFF_CODE_TRAIN_SIZE = 84;
    static final int OFF_DELETE_COUNT = 88;
    static final int OFF_DOC_BYTES = 96;
    static final int OFF_FILE_TABLE = 104;
    static final int OFF_FILE_TABLE_V3 = 96;
    static final int OFF_FILE_TABLE_V2 = 88;
    static final int OFF_FILE_TABLE_V1 = 72;
    static final int FILE_ENTRY_BYTES = 16;
    static final int OFF_CRC = FormatConstants.MANIFEST_PAGE_BYTES - Integer.BYTES;

    public Manifest {
        committedLengths = Map.copyOf(committedLengths);
    }

    /** An index without codes. */
    public Manifest(long sequence, long indexId, int dimension, int metricCode, int maxDegree, State state,
                    long committedCount, int extentSlots, int entryPoint, int buildBeamWidth, float alpha,
                    Map<FileKind, Long> committedLengths) {
        this(sequence, indexId, dimension, metricCode, maxDegree, state, committedCount, extentSlots, entryPoint,
                buildBeamWidth, alpha, committedLengths, 0, 0, 0, 0, 0);
    }

    /** Every field as given, and no deletions: a manifest of format 2's fields. */
    public Manifest(long sequence, long indexId, int dimension, int metricCode, int maxDegree, State state,
                    long committedCount, int extentSlots, int entryPoint, int buildBeamWidth, float alpha,
                    Map<FileKind, Long> committedLengths, int codeBytes, long codedCount, int codebookCrc,
                    int codeTrainSize) {
        this(sequence, indexId, dimension, metricCode, maxDegree, state, committedCount, extentSlots, entryPoint,
                buildBeamWidth, alpha, committedLengths, codeBytes, codedCount, codebookCrc, codeTrainSize, 0);
    }

    /** Every field as given, generation 0. */
    public Manifest(long sequence, long indexId, int dimension, int metricCode, int maxDegree, State state,
                    long committedCount, int extentSlots, int entryPoint, int buildBeamWidth, float alpha,
                    Map<FileKind, Long> committedLengths, int codeBytes, long codedCount, int codebookCrc,
                    int codeTrainSize, long deleteCount, long docBytes) {
        this(sequence, indexId, dimension, metricCode, maxDegree, state, committedCount, extentSlots, entryPoint,
                buildBeamWidth, alpha, committedLengths, codeBytes, codedCount, codebookCrc, codeTrainSize,
                deleteCount, docBytes, 0);
    }

    /** Every field as given, and no docs: a manifest of format 3's fields. */
    public Manifest(long sequence, long indexId, int dimension, int metricCode, int maxDegree, State state,
                    long committedCount, int extentSlots, int entryPoint, int buildBeamWidth, float alpha,
                    Map<FileKind, Long> committedLengths, int codeBytes, long codedCount, int codebookCrc,
                    int codeTrainSize, long deleteCount) {
        this(sequence, indexId, dimension, metricCode, maxDegree, state, committedCount, extentSlots, entryPoint,
                buildBeamWidth, alpha, committedLengths, codeBytes, codedCount, codebookCrc, codeTrainSize,
                deleteCount, 0);
    }

    /** Whether the index has ids and payloads: the keys and docs files (format 4 on). */
    public boolean hasKeys() {
        return committedLengths.containsKey(FileKind.KEYS);
    }

    /** Whether the index has a deletes file (format 3 on; {@link #deleteCount()} is 0 without one). */
    public boolean hasDeletes() {
        return committedLengths.containsKey(FileKind.DELETES);
    }

    /** The files this commit names, in {@link FileKind} order. */
    public java.util.List<FileKind> kinds() {
        return committedLengths.keySet().stream().sorted().toList();
    }

    /** Records of {@code kind} in this commit: coded ordinals for codes, deletions for deletes, else vectors. */
    public long records(FileKind kind) {
        return switch (kind) {
            case CODES -> codedCount;
            case DELETES -> deleteCount;
            case DOCS -> docBytes;
            default -> committedCount;
        };
    }

    /**
     * Records of {@code kind} that opening checks and maps the file for: a writer reserves codes for every vector it
     * stores, trained or not, so every per-ordinal file covers {@link #committedCount()}; the deletes log covers its
     * deletions.
     */
    public long mappedRecords(FileKind kind) {
        return kind == FileKind.DELETES || kind == FileKind.DOCS ? records(kind) : committedCount;
    }

    /** The format version this manifest is written as: 4 where it names keys, 3 where a deletes file, else 2. */
    public int writtenVersion() {
        return hasKeys() ? FormatConstants.FORMAT_VERSION : hasDeletes() ? 3 : 2;
    }

    /** Whether the index was created with product-quantization codes (they exist once {@link #codedCount()} > 0). */
    public boolean hasCodes() {
        return codeBytes > 0;
    }

    public long committedLength(FileKind kind) {
        Long len = committedLengths.get(kind);
        return len == null ? 0 : len;
    }

    public Manifest next(State newState, long newCount, Map<FileKind, Long> newLengths) {
        return next(newState, newCount, entryPoint, newLengths);
    }

    public Manifest next(State newState, long newCount, int newEntryPoint, Map<FileKind, Long> newLengths) {
        return next(newState, newCount, newEntryPoint, codedCount, codebookCrc, newLengths);
    }

    public Manifest next(State newState, long newCount, int newEntryPoint, long newCodedCount, int newCodebookCrc,
                         Map<FileKind, Long> newLengths) {
        return next(newState, newCount, newEntryPoint, newCodedCount, newCodebookCrc, deleteCount, docBytes,
                newLengths);
    }

    public Manifest next(State newState, long newCount, int newEntryPoint, long newCodedCount, int newCodebookCrc,
                         long newDeleteCount, long newDocBytes, Map<FileKind, Long> newLengths) {
        return new Manifest(sequence + 1, indexId, dimension, metricCode, maxDegree, newState, newCount, extentSlots,
                newEntryPoint, buildBeamWidth, alpha, newLengths, codeBytes, newCodedCount, newCodebookCrc,
                codeTrainSize, newDeleteCount, newDocBytes, generation);
    }

    /** Where this commit's file of {@code kind} lies in {@code dir}: its name in this commit's generation. */
    public Path path(Path dir, FileKind kind) {
        return dir.resolve(kind.fileName(generation));
    }

    /** This manifest with other files and lengths (an upgrade that adds files), every other field the same. */
    public Manifest withFiles(Map<FileKind, Long> newLengths) {
        return new Manifest(sequence, indexId, dimension, metricCode, maxDegree, state, committedCount, extentSlots,
                entryPoint, buildBeamWidth, alpha, newLengths, codeBytes, codedCount, codebookCrc, codeTrainSize,
                deleteCount, docBytes, generation);
    }

    /** The page this manifest is written to: sequence parity picks copy A (even) or B (odd). */
    public int pageIndex() {
        return (int) (sequence & 1);
    }

    /** Encodes this manifest as one full page, checksum included. */
    public ByteBuffer encode() {
        ByteBuffer b = ByteBuffer.allocate(FormatConstants.MANIFEST_PAGE_BYTES).order(FormatConstants.BYTE_ORDER);
        b.putInt(OFF_MAGIC, FormatConstants.MANIFEST_MAGIC);
        int version = writtenVersion();
        b.putInt(OFF_VERSION, version);
        b.putLong(OFF_SEQUENCE, sequence);
        b.putLong(OFF_INDEX_ID, indexId);
        b.putInt(OFF_DIMENSION, dimension);
        b.putInt(OFF_METRIC, metricCode);
        b.putInt(OFF_MAX_DEGREE, maxDegree);
        b.putInt(OFF_STATE, state.code);
        b.putLong(OFF_COMMITTED_COUNT, committedCount);
        b.putInt(OFF_EXTENT_SLOTS, extentSlots);
        b.putInt(OFF_ENTRY_POINT, entryPoint);
        b.putInt(OFF_BUILD_BEAM_WIDTH, buildBeamWidth);
        b.putFloat(OFF_ALPHA, alpha);
        b.putInt(OFF_CODE_BYTES, codeBytes);
        b.putLong(OFF_CODED_COUNT, codedCount);
        b.putInt(OFF_CODEBOOK_CRC, codebookCrc);
        b.putInt(OFF_CODE_TRAIN_SIZE, codeTrainSize);
        if (version >= 3) {
            b.putLong(OFF_DELETE_COUNT, deleteCount);
        }
        if (version >= 4) {
            b.putLong(OFF_DOC_BYTES, docBytes);
        }
        int table = fileTableOffset(version);
        FileKind[] kinds = kinds().toArray(FileKind[]::new);
        b.putInt(OFF_FILE_COUNT, kinds.length);
        for (int i = 0; i < kinds.length; i++) {
            int at = table + i * FILE_ENTRY_BYTES;
            b.putInt(at, kinds[i].code());
            b.putInt(at + 4, generation);
            b.putLong(at + 8, committedLength(kinds[i]));
        }
        b.putInt(OFF_CRC, Crc.of(b.array(), 0, OFF_CRC));
        return b;
    }

    /**
     * Decodes one page. Returns null when the page is not a valid manifest copy (bad magic or checksum: a torn or
     * never-written copy); throws when it is a manifest of an unsupported version, so that a newer index is never
     * mistaken for a damaged one.
     */
    public static Manifest decode(Path file, ByteBuffer page) throws java.io.IOException {
        ByteBuffer b = page.duplicate().order(FormatConstants.BYTE_ORDER);
        if (b.remaining() < FormatConstants.MANIFEST_PAGE_BYTES || b.getInt(OFF_MAGIC) != FormatConstants.MANIFEST_MAGIC) {
            return null;
        }
        int version = b.getInt(OFF_VERSION);
        byte[] bytes = new byte[FormatConstants.MANIFEST_PAGE_BYTES];
        b.get(0, bytes);
        if (Crc.of(bytes, 0, OFF_CRC) != b.getInt(OFF_CRC)) {
            // A newer format may put its checksum elsewhere: report the version before calling the page damaged.
            if (version > FormatConstants.FORMAT_VERSION) {
                throw new IndexFormatTooNewException(file, version);
            }
            return null;
        }
        if (version > FormatConstants.FORMAT_VERSION) {
            throw new IndexFormatTooNewException(file, version);
        }
        if (version < FormatConstants.MIN_FORMAT_VERSION) {
            throw new IndexFormatTooOldException(file, version);
        }
        int stateCode = b.getInt(OFF_STATE);
        State state = switch (stateCode) {
            case 0 -> State.CLEAN;
            case 1 -> State.OPEN;
            default -> throw new CorruptIndexException(file, "manifest state " + stateCode + " is not 0 or 1");
        };
        boolean v1 = version == 1;
        int table = fileTableOffset(version);
        int fileCount = b.getInt(OFF_FILE_COUNT);
        if (fileCount < 0 || table + (long) fileCount * FILE_ENTRY_BYTES > OFF_CRC) {
            throw new CorruptIndexException(file, "manifest file table has " + fileCount + " entries");
        }
        Map<FileKind, Long> lengths = new EnumMap<>(FileKind.class);
        int generation = fileCount == 0 ? 0 : b.getInt(table + 4);
        for (int i = 0; i < fileCount; i++) {
            int at = table + i * FILE_ENTRY_BYTES;
            FileKind kind = FileKind.fromCode(b.getInt(at));
            if (kind == null || !kind.committed()) {
                throw new CorruptIndexException(file, "manifest names unknown file kind " + b.getInt(at));
            }
            if (b.getInt(at + 4) != generation || generation < 0 || (generation > 0 && version < 4)) {
                throw new CorruptIndexException(file, "manifest names files of generations " + generation + " and "
                        + b.getInt(at + 4));
            }
            lengths.put(kind, b.getLong(at + 8));
        }
        Manifest m = new Manifest(b.getLong(OFF_SEQUENCE), b.getLong(OFF_INDEX_ID), b.getInt(OFF_DIMENSION),
                b.getInt(OFF_METRIC), b.getInt(OFF_MAX_DEGREE), state, b.getLong(OFF_COMMITTED_COUNT),
                b.getInt(OFF_EXTENT_SLOTS), b.getInt(OFF_ENTRY_POINT), b.getInt(OFF_BUILD_BEAM_WIDTH),
                b.getFloat(OFF_ALPHA), lengths, v1 ? 0 : b.getInt(OFF_CODE_BYTES), v1 ? 0 : b.getLong(OFF_CODED_COUNT),
                v1 ? 0 : b.getInt(OFF_CODEBOOK_CRC), v1 ? 0 : b.getInt(OFF_CODE_TRAIN_SIZE),
                version >= 3 ? b.getLong(OFF_DELETE_COUNT) : 0, version >= 4 ? b.getLong(OFF_DOC_BYTES) : 0,
                generation);
        m.validate(file);
        if (m.hasDeletes() != (version >= 3)) {
            throw new CorruptIndexException(file, "manifest of format version " + version
                    + (version >= 3 ? " lacks " : " names ") + FileKind.DELETES.fileName());
        }
        if (m.hasKeys() != (version >= 4)) {
            throw new CorruptIndexException(file, "manifest of format version " + version
                    + (version >= 4 ? " lacks " : " names ") + FileKind.KEYS.fileName());
        }
        return m;
    }

    /** Where a page of {@code version} has its file table. */
    static int fileTableOffset(int version) {
        return switch (version) {
            case 1 -> OFF_FILE_TABLE_V1;
            case 2 -> OFF_FILE_TABLE_V2;
            case 3 -> OFF_FILE_TABLE_V3;
            default -> OFF_FILE_TABLE;
        };
    }

    private void validate(Path file) throws CorruptIndexException {
        if (dimension < 1 || dimension > FormatConstants.MAX_DIMENSION) {
            throw new CorruptIndexException(file, "manifest dimension " + dimension + " out of range");
        }
        if (maxDegree < 1 || maxDegree > FormatConstants.MAX_DEGREE) {
            throw new CorruptIndexException(file, "manifest max degree " + maxDegree + " out of range");
        }
        if (committedCount < 0 || committedCount > Integer.MAX_VALUE) {
            throw new CorruptIndexException(file, "manifest committed count " + committedCount + " out of range");
        }
        if (extentSlots < 1 || extentSlots > FormatConstants.MAX_EXTENT_SLOTS) {
            throw new CorruptIndexException(file, "manifest extent slots " + extentSlots + " out of range");
        }
        try {
            io.mmgraph.vector.Metric.fromCode(metricCode);
        } catch (IllegalArgumentException e) {
            throw new CorruptIndexException(file, "manifest metric code " + metricCode + " is none of mmgraph's");
        }
        boolean entryValid = committedCount == 0 ? entryPoint == -1 : entryPoint >= 0 && entryPoint < committedCount;
        if (!entryValid) {
            throw new CorruptIndexException(file, "manifest entry point " + entryPoint + " outside the "
                    + committedCount + " committed vectors");
        }
        if (buildBeamWidth < 1 || buildBeamWidth > FormatConstants.MAX_BUILD_BEAM_WIDTH
                || !(alpha >= 1f && alpha <= 4f)) {
            throw new CorruptIndexException(file, "manifest build parameters L=" + buildBeamWidth + " alpha=" + alpha
                    + " out of range");
        }
        if (codeBytes < 0 || codeBytes > dimension) {
            throw new CorruptIndexException(file, "manifest code bytes " + codeBytes + " outside [0, " + dimension + "]");
        }
        if (codedCount < 0 || codedCount > committedCount || (codedCount > 0 && codeBytes == 0)) {
            throw new CorruptIndexException(file, "manifest coded count " + codedCount + " outside [0, "
                    + (codeBytes == 0 ? 0 : committedCount) + "]");
        }
        if (codeBytes > 0 && codeTrainSize < 1) {
            throw new CorruptIndexException(file, "manifest code train size " + codeTrainSize + " is not positive");
        }
        if (deleteCount < 0 || deleteCount > committedCount) {
            throw new CorruptIndexException(file, "manifest delete count " + deleteCount + " outside [0, "
                    + committedCount + "]");
        }
        if (docBytes < 0 || (docBytes > 0 && !hasKeys())) {
            throw new CorruptIndexException(file, "manifest doc bytes " + docBytes + " out of range");
        }
        if (hasKeys() && !hasDeletes()) {
            throw new CorruptIndexException(file, "manifest names " + FileKind.KEYS.fileName() + " but not "
                    + FileKind.DELETES.fileName());
        }
        for (FileKind kind : FileKind.values()) {
            boolean expected = kind.required() || (kind == FileKind.CODES && codeBytes > 0)
                    || (kind == FileKind.DELETES && hasDeletes())
                    || ((kind == FileKind.KEYS || kind == FileKind.DOCS) && hasKeys());
            if (expected != committedLengths.containsKey(kind)) {
                throw new CorruptIndexException(file, "manifest file table " + (expected ? "lacks " : "names ")
                        + kind.fileName() + (expected ? "" : ", which an index with code bytes " + codeBytes
                        + " does not have"));
            }
        }
    }
}
