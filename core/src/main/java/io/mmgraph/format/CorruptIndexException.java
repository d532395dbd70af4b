package io.mmgraph.format;

import java.io.IOException;
import java.nio.file.Path;

/** A file of the index does not hold what the format says it must: a checksum, magic or field is wrong. */
public class CorruptIndexException extends IOException {
    private final Path file;

    public CorruptIndexException(Path file, String detail) {
        super(message(file, detail));
        this.file = file;
    }

    public CorruptIndexException(Path file, String detail, Throwable cause) {
        super(message(file, detail), cause);
        this.file = file;
    }

    private static String message(Path file, String detail) {
        return "corrupt index file " + file + ": " + detail;
    }

    /** The damaged file. */
    public Path file() {
        return file;
    }
}
