package io.mmgraph.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Durability of directory entries: a new or renamed file is durable once its directory is synced. */
public final class Directories {
    private Directories() {}

    /** fsync of a directory; a no-op where the platform cannot open or sync one (the files themselves are synced). */
    public static void force(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Some platforms cannot open or sync a directory.
        }
    }
}
