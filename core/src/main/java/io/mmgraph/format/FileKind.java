package io.mmgraph.format;

/**
 * The data files of an index. The code is stored in each file's header and in the manifest's file table, so a file
 * put in the wrong place is detected at open.
 */
public enum FileKind {
    /** Append-only vector records, one per ordinal. */
    VECTORS(1, "vectors.mmg"),
    /** Append-only CRC32C per vector record: lets {@code verify} find a flipped bit in any vector. */
    VECTOR_CHECKSUMS(2, "vectors.crc.mmg"),
    /** One neighbour-list record per ordinal, rewritten in place (see docs/design.md, "Neighbour-list consistency"). */
    NEIGHBOR_LISTS(3, "lists.mmg"),
    /**
     * Optional (indexes created with codes only): append-only product-quantization codes, one record of
     * {@code codeBytes} bytes per ordinal, for navigation when the vectors are not resident. Not checksummed:
     * {@code verify} re-encodes each committed vector and compares (the encoding is deterministic).
     */
    CODES(4, "codes.mmg"),
    /**
     * Append-only log of deletions (format 3 on): one 8-byte record per deleted ordinal, in the order of deletion.
     * Searches skip deleted ordinals; their vectors and lists stay, to be reclaimed by compaction.
     */
    DELETES(5, "deletes.mmg"),
    /**
     * Per-ordinal key records (format 4 on): where the ordinal's external id and payload lie in {@link #DOCS}, their
     * lengths and checksum, and the id's 64-bit hash. A record of zeros: the ordinal has neither (it was added
     * without an id, or before the index had ids).
     */
    KEYS(6, "keys.mmg"),
    /** Append-only bytes (format 4 on): each keyed ordinal's id then its payload, in ordinal order. */
    DOCS(7, "docs.mmg"),
    /**
     * The id table: an open-addressing hash table from id hash to ordinal. Derived from {@link #KEYS} (a writer
     * rebuilds it when it is missing), replaced whole by rename when it grows, and so never named in the manifest.
     */
    IDS(8, "ids.mmg"),
    /**
     * A payload field column ({@link FieldColumn}): one entry per ordinal holding the value of one payload field, so
     * that a filter on it reads 16 bytes rather than parsing the payload. Derived from {@link #DOCS}, one file per
     * indexed field, named after the field ({@link FieldColumn#fileName}), never named in the manifest.
     */
    FIELD(9, "field.mmg");

    private final int code;
    private final String fileName;

    FileKind(int code, String fileName) {
        this.code = code;
        this.fileName = fileName;
    }

    public int code() {
        return code;
    }

    public String fileName() {
        return fileName;
    }

    /**
     * The file's name in generation {@code generation} of the index: {@link #fileName()} for generation 0, else
     * {@code name.<generation>.mmg} (compaction writes each generation beside the previous one).
     */
    public String fileName(long generation) {
        return generation == 0 ? fileName
                : fileName.substring(0, fileName.length() - ".mmg".length()) + "." + generation + ".mmg";
    }

    /**
     * Whether every index has this file: {@link #CODES} exists only where the index was created with codes,
     * {@link #DELETES} only from format 3 on, {@link #KEYS} and {@link #DOCS} from format 4 on (a writer adds them to
     * an older index when it opens it), and {@link #IDS} is derived data outside the manifest.
     */
    public boolean required() {
        return this == VECTORS || this == VECTOR_CHECKSUMS || this == NEIGHBOR_LISTS;
    }

    /** Whether the manifest's file table can name this file (all but the derived {@link #IDS} and {@link #FIELD}). */
    public boolean committed() {
        return this != IDS && this != FIELD;
    }

    public static FileKind fromCode(int code) {
        for (FileKind k : values()) {
            if (k.code == code) {
                return k;
            }
        }
        return null;
    }
}
