package io.mmgraph.testdata;

import io.mmgraph.dataset.VectorFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;

/**
 * Embeddings kept on disk as {@code .fvecs} between test runs, because embedding costs milliseconds per passage and
 * reading a file costs microseconds. A file is trusted only when it has exactly the expected shape and finite
 * values; anything else (a run killed mid-write, a truncated or foreign file) reads as a miss and is rebuilt.
 */
final class EmbeddingCache {
    private EmbeddingCache() {}

    /** The cached vectors, or null when the file is missing or is not {@code count} finite vectors of {@code dim}. */
    static float[][] read(Path file, int count, int dimension) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        float[][] vectors;
        try {
            vectors = VectorFiles.readAll(file);
        } catch (IOException | RuntimeException e) {
            System.out.println("SentenceEmbeddings: ignoring unreadable cache " + file + ": " + e);
            return null;
        }
        boolean ok = vectors.length == count;
        for (int i = 0; ok && i < vectors.length; i++) {
            ok = vectors[i].length == dimension && allFinite(vectors[i]);
        }
        if (!ok) {
            System.out.println("SentenceEmbeddings: ignoring cache " + file + " of the wrong shape or with NaNs");
            return null;
        }
        return vectors;
    }

    /** Writes beside the target and renames, so a reader never sees a half-written file under the final name. */
    static void write(Path file, float[][] vectors) throws IOException {
        Files.createDirectories(file.getParent());
        Path temporary = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
        try {
            VectorFiles.writeFvecs(temporary, Arrays.asList(vectors));
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static boolean allFinite(float[] v) {
        for (float x : v) {
            if (!Float.isFinite(x)) {
                return false;
            }
        }
        return true;
    }
}
