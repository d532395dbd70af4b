package io.mmgraph.langchain4j;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

final class Stores {
    private Stores() {}

    /** A store in a fresh temporary directory (under target/, which the build cleans). */
    static MmgraphEmbeddingStore temporary(String name) {
        try {
            java.nio.file.Path base = java.nio.file.Path.of("target", "stores");
            Files.createDirectories(base);
            return MmgraphEmbeddingStore.open(Files.createTempDirectory(base, name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
