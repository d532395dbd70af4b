package io.mmgraph.server;

import io.mmgraph.index.Durability;
import io.mmgraph.index.IndexNotFoundException;
import io.mmgraph.index.IndexOptions;
import io.mmgraph.index.MMapGraph;
import io.mmgraph.vector.Metric;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The server's collections: one index per subdirectory of the data directory, opened for writing on first use and
 * kept open until dropped or the server stops (close commits). Each writer commits on its own every
 * {@link #COMMIT_MILLIS} ms; a request with {@code wait=true} commits before it is answered.
 */
final class Collections implements AutoCloseable {
    static final long COMMIT_MILLIS = 200;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final Path root;
    private final Map<String, MMapGraph> open = new ConcurrentHashMap<>();
    /** Set by {@link #close()}: no collection is opened or created after it. */
    private volatile boolean closed;

    Collections(Path root) throws IOException {
        this.root = root;
        Files.createDirectories(root);
    }

    private Path dir(String name) {
        if (!NAME.matcher(name).matches()) {
            throw ApiException.badRequest("collection name '" + name + "' must be 1-64 letters, digits, '_' or '-'");
        }
        return root.resolve(name);
    }

    /** Creates a collection; false when one of that name exists already. */
    synchronized boolean create(String name, int dimension, Metric metric, Integer maxDegree, Integer buildEf)
            throws IOException {
        requireOpen();
        Path dir = dir(name);
        if (Files.exists(dir.resolve("manifest.mmg"))) {
            return false;
        }
        IndexOptions options = IndexOptions.dimension(dimension).withMetric(metric);
        if (maxDegree != null) {
            options = options.withMaxDegree(maxDegree);
        }
        if (buildEf != null) {
            options = options.withBuildBeamWidth(buildEf);
        }
        MMapGraph g = MMapGraph.create(dir, options);
        g.setDurability(Durability.everyMillis(COMMIT_MILLIS));
        open.put(name, g);
        return true;
    }

    /** The open writer of a collection, opening it on first use. */
    MMapGraph get(String name) throws IOException {
        Path dir = dir(name);
        MMapGraph g = open.get(name);
        if (g != null) {
            return g;
        }
        synchronized (this) {
            requireOpen();
            g = open.get(name);
            if (g == null) {
                try {
                    g = MMapGraph.open(dir);
                } catch (IndexNotFoundException e) {
                    throw ApiException.notFound("collection '" + name + "' does not exist");
                }
                g.setDurability(Durability.everyMillis(COMMIT_MILLIS));
                open.put(name, g);
            }
            return g;
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new ApiException(503, "the server is shutting down");
        }
    }

    /** The live points of each collection open now (the metrics: opening the others would take their lock). */
    Map<String, Long> openPoints() {
        Map<String, Long> out = new java.util.TreeMap<>();
        open.forEach((name, g) -> {
            try {
                out.put(name, g.size() - g.deletedCount());
            } catch (RuntimeException closedMeanwhile) {
                // dropped while counted
            }
        });
        return out;
    }

    List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(p -> Files.exists(p.resolve("manifest.mmg"))).map(p -> p.getFileName().toString())
                    .filter(n -> NAME.matcher(n).matches()).sorted(Comparator.naturalOrder()).toList();
        }
    }

    /** Closes and deletes a collection; false when there is none. */
    synchronized boolean drop(String name) throws IOException {
        Path dir = dir(name);
        MMapGraph g = open.remove(name);
        if (g != null) {
            g.close();
        }
        if (!Files.exists(dir.resolve("manifest.mmg"))) {
            return false;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
        return true;
    }

    /** Commits and closes every open collection. */
    @Override
    public synchronized void close() throws IOException {
        closed = true;
        List<MMapGraph> all = new ArrayList<>(open.values());
        open.clear();
        io.mmgraph.store.Closing.closeAll(all);
    }
}
