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
    NEIGHBOR_LISTS(3, "lists.mmg");

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

    public static FileKind fromCode(int code) {
        for (FileKind k : values()) {
            if (k.code == code) {
                return k;
            }
        }
        return null;
    }
}
