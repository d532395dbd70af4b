package io.mmgraph.format;

import java.io.IOException;
import java.nio.file.Path;

/** The file uses a format older than the oldest this version reads. Nothing is changed. */
public class IndexFormatTooOldException extends IOException {
    private final int version;

    public IndexFormatTooOldException(Path file, int version) {
        super("index file " + file + " has format version " + version + ", older than the oldest this mmgraph reads ("
                + FormatConstants.MIN_FORMAT_VERSION + "); rebuild it with 'mmgraph export' from an older mmgraph");
        this.version = version;
    }

    public int version() {
        return version;
    }
}
