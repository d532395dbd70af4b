package io.mmgraph.format;

import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * Every constant of the on-disk format in one place. {@code docs/format.md} describes each byte these constants
 * position; change one here and there together, and bump {@link #FORMAT_VERSION} when a layout changes.
 *
 * <h2>Version history</h2>
 * <ul>
 *   <li>1 — first format: manifest with A/B pages; vector, vector-checksum and neighbour-list files.</li>
 *   <li>2 — optional product-quantization codes: the manifest records the code size, how many ordinals have codes
 *       and the codebook's CRC32C; a {@code codes.mmg} record file and a {@code codebook.mmg} file. Version 1
 *       indexes (no codes) are still read, and are written as version 2 once a writer opens them.</li>
 *   <li>3 — deletes: the manifest records how many deletions are committed; a {@code deletes.mmg} record file logs
 *       the deleted ordinals. A writer that opens a version 1 or 2 index adds the (empty) file and writes version 3;
 *       readers read the older versions as they are, with nothing deleted.</li>
 *   <li>4 — ids and payloads: the manifest records the committed bytes of {@code docs.mmg}; {@code keys.mmg} holds a
 *       32-byte key record per ordinal; {@code ids.mmg}, outside the manifest, maps id hashes to ordinals. A writer
 *       that opens an older index adds the files (every existing ordinal without an id) and writes version 4.</li>
 * </ul>
 */
public final class FormatConstants {
    private FormatConstants() {}

    /** All multi-byte values on disk are little-endian, whatever the machine. */
    public static final ByteOrder BYTE_ORDER = ByteOrder.LITTLE_ENDIAN;

    /** The format's block: records never straddle one unless larger than one. Independent of the OS page size. */
    public static final int BLOCK_SIZE = 4096;

    /**
     * Mapping offsets and extent sizes are multiples of this, so machines with 16 KiB (Apple silicon) or 64 KiB
     * pages can map every extent at its offset.
     */
    public static final int MAP_ALIGNMENT = 64 * 1024;

    /** Bytes before a data file's first extent: a {@link #BLOCK_SIZE} header, then zero padding. */
    public static final int PROLOGUE_BYTES = MAP_ALIGNMENT;

    /** The format this code writes. */
    public static final int FORMAT_VERSION = 4;
    /** The oldest format this code reads. */
    public static final int MIN_FORMAT_VERSION = 1;

    /** "MMGM" read as a little-endian int: the manifest page magic. */
    public static final int MANIFEST_MAGIC = 0x4D474D4D;
    /** "MMGF" read as a little-endian int: a data file's header magic. */
    public static final int FILE_MAGIC = 0x46474D4D;

    /** Each manifest copy occupies one block; copy A at offset 0, copy B at {@link #BLOCK_SIZE}. */
    public static final int MANIFEST_PAGE_BYTES = BLOCK_SIZE;
    public static final int MANIFEST_FILE_BYTES = 2 * MANIFEST_PAGE_BYTES;

    /** Bytes per neighbour id in a list record. */
    public static final int NEIGHBOR_ID_BYTES = Integer.BYTES;
    /** Bytes per float component in a vector record. */
    public static final int COMPONENT_BYTES = Float.BYTES;
    /** Bytes per entry of the vector checksum file (one CRC32C per vector). */
    public static final int CHECKSUM_BYTES = Integer.BYTES;
    /** Bytes per record of the deletes file: the deleted ordinal, then the CRC32C of those four bytes. */
    public static final int DELETE_RECORD_BYTES = 2 * Integer.BYTES;

    /** Bytes per record of the keys file (see {@link KeyRecords}). */
    public static final int KEY_RECORD_BYTES = 32;
    /** Bytes of the docs file's growth extent per record of the other files' extents (16 MiB at the default). */
    public static final int DOC_BYTES_PER_SLOT = 256;
    /** Largest growth extent of the docs file. */
    public static final int MAX_DOC_EXTENT_BYTES = 1 << 30;

    /** Bytes per growth extent of the docs file (whose records are single bytes) for an index of {@code extentSlots}. */
    public static int docExtentBytes(int extentSlots) {
        return (int) Math.min(MAX_DOC_EXTENT_BYTES, Math.max(MAP_ALIGNMENT, (long) extentSlots * DOC_BYTES_PER_SLOT));
    }
    /** Longest id, in UTF-8 bytes. */
    public static final int MAX_KEY_BYTES = 1024;
    /** Longest payload, in UTF-8 bytes. */
    public static final int MAX_PAYLOAD_BYTES = 1 << 20;
    /** Bytes per slot of the id table: the id hash's high 32 bits, then the ordinal plus one (0: an empty slot). */
    public static final int ID_SLOT_BYTES = Long.BYTES;
    /** Bytes per entry of a payload field column (see {@link FieldColumn}). */
    public static final int FIELD_ENTRY_BYTES = 16;
    /** Longest payload field path a column can index, in UTF-8 bytes. */
    public static final int MAX_FIELD_PATH_BYTES = 1024;
    /** Fewest slots an id table has; always a power of two, at most half full after a commit's inserts. */
    public static final int MIN_ID_SLOTS = 1 << 13;

    /** Largest supported dimension: a vector record of at most 64 KiB keeps extents and prologues simple. */
    public static final int MAX_DIMENSION = 16 * 1024;
    /** Largest supported out-degree R. */
    public static final int MAX_DEGREE = 1024;
    /** Largest build beam width L an index may record: more would only allocate without improving the graph. */
    public static final int MAX_BUILD_BEAM_WIDTH = 100_000;
    /** Most records per extent an index may record: 16 Mi (an extent is mapped whole). */
    public static final int MAX_EXTENT_SLOTS = 1 << 24;

    public static final String MANIFEST_FILE = "manifest.mmg";
    public static final String LOCK_FILE = "writer.lock";
    /** The product quantizer's codebook, written once when an index with codes is trained (docs/format.md). */
    public static final String CODEBOOK_FILE = "codebook.mmg";

    public static Path manifestPath(Path dir) {
        return dir.resolve(MANIFEST_FILE);
    }

    public static Path codebookPath(Path dir) {
        return dir.resolve(CODEBOOK_FILE);
    }
}
