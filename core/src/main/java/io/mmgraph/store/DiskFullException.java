package io.mmgraph.store;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Space for a file's next extent could not be reserved. Raised when the file grows, before anything is written
 * through the new mapping, so the index stays valid up to its last commit and no SIGBUS can follow.
 */
public class DiskFullException extends IOException {
    public DiskFullException(Path file, long offset, long length) {
        super("no space left on device to grow " + file + " by " + length + " bytes at offset " + offset);
    }
}
