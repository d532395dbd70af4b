package io.mmgraph.bench.engine;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * One search engine under test. The harness runs each engine in a JVM of its own: {@link #build} once and, for each
 * of {@link #variants()}, {@link #open opens} the built index (timed) and sweeps the search-effort parameter. A
 * {@link #persisted persisted} variant is opened and searched in a second, fresh JVM, as a server would open an
 * index built elsewhere: the build then leaves neither its heap nor its JIT profile to the searches.
 *
 * <p>Engines are configured comparably through {@link BuildParams}: the same layer-0 degree and build beam.
 * Implementations hold no benchmark logic: timing, recall and QPS are the harness's job, so every engine is measured
 * by the same code.
 */
public interface Engine {

    /** The engine's name as given to {@code --engines}. */
    String name();

    /** What the engine reports about its SIMD support (a provider name or the log line it printed). */
    String simdProvider();

    /** The engine's own build settings, written out with the results. */
    String describeConfig();

    /** Builds the index over {@code data.base()} (ordinal i = base row i) with {@code threads} threads and persists
     * it under {@code dir}, which exists and is empty. Everything the build holds in memory may stay referenced until
     * {@link #close()}, so variants that search the in-memory structure can use it. */
    void build(BenchData data, BuildParams params, Path dir, int threads) throws IOException;

    /** Names of the indexes this engine can search after {@link #build}, e.g. {@code jvector-disk} and {@code jvector-mem}. */
    default List<String> variants() {
        return List.of(name());
    }

    /**
     * Whether {@code variant} searches only what {@link #build} persisted, so that a fresh instance of this engine
     * (one that never built) can {@link #open} it. False for in-memory variants, which are searched in the build's
     * JVM.
     */
    default boolean persisted(String variant) {
        return true;
    }

    /**
     * Opens variant {@code variant} of the index built in {@code dir} with {@code params}. The harness times this
     * call. For a {@link #persisted} variant this instance may not be the one that built.
     */
    SearchIndex open(String variant, Path dir, BuildParams params) throws IOException;

    /** Bytes of the persisted index under {@code dir}; by default the size of every file in it. */
    default long indexBytes(Path dir) throws IOException {
        return DirectorySize.of(dir);
    }

    /** Releases anything kept from the build. */
    default void close() throws IOException {
    }

    /** An opened index. {@link #newSession()} is called once per searching thread. */
    interface SearchIndex extends AutoCloseable {
        /** What the effort parameter is called for this engine (e.g. {@code ef}, {@code rerankK}). */
        String effortName();

        Session newSession();

        @Override
        void close() throws IOException;
    }

    /** A single thread's searcher; may keep scratch state between calls. */
    interface Session {
        /**
         * Writes the ordinals of (up to) the {@code k} nearest base vectors, nearest first, into {@code out} and
         * returns how many it wrote. {@code effort} is the engine's search-effort parameter (beam width or
         * candidate-list size), always ≥ k.
         */
        int search(float[] query, int k, int effort, int[] out) throws IOException;

        /** Nodes the last search computed a distance to (its main cost), or -1 where the engine does not say. */
        default long lastVisited() {
            return -1;
        }
    }
}
