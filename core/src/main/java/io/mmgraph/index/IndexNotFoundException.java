package io.mmgraph.index;

import java.io.IOException;
import java.nio.file.Path;

/** The directory holds no mmgraph index (no manifest). */
public class IndexNotFoundException extends IOException {
    public IndexNotFoundException(Path dir) {
        super("no mmgraph index in " + dir + " (no " + io.mmgraph.format.FormatConstants.MANIFEST_FILE + ")");
    }
}
