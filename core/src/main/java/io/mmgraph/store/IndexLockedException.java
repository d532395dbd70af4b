package io.mmgraph.store;

import java.io.IOException;
import java.nio.file.Path;

/** A writer was refused: another writer, in this JVM or another process, holds the index's lock file. */
public class IndexLockedException extends IOException {
    private final Path lockFile;

    public IndexLockedException(Path lockFile, String holder) {
        super("index is locked by another writer: " + holder + " holds " + lockFile);
        this.lockFile = lockFile;
    }

    public Path lockFile() {
        return lockFile;
    }
}
