package io.mmgraph.format;

import java.io.IOException;
import java.nio.file.Path;

/** The file was written by a newer mmgraph whose format this version cannot read. Nothing is changed. */
public class IndexFormatTooNewException extends IOException {
    private final int version;

    public IndexFormatTooNewException(Path file, int version) {
        super("index file " + file + " has format version " + version + ", newer than the newest this mmgraph reads ("
                + FormatConstants.FORMAT_VERSION + "); upgrade mmgraph to open it");
        this.version = version;
    }

    public int version() {
        return version;
    }
}
