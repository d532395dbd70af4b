package io.mmgraph.bench.engine;

import java.util.List;
import java.util.Locale;

/** The engines {@code mmgraph bench} knows, by name. {@link #create} makes the JVM engines; hnswlib runs in Python (HnswlibRunner). */
public final class Engines {

    private Engines() {
    }

    /** Engine names {@code --engines} accepts: the JVM engines and hnswlib. */
    public static final List<String> ALL = List.of("mmgraph", "mmgraph-pq", "jvector", "lucene", "exact", "hnswlib");

    /** Checks a name without loading the engine's classes (which would start its SIMD provider in this JVM). */
    public static void requireKnown(String name) {
        if (!ALL.contains(name.toLowerCase(Locale.ROOT))) {
            throw unknown(name);
        }
    }

    private static IllegalArgumentException unknown(String name) {
        return new IllegalArgumentException("unknown engine '" + name + "'; known: " + String.join(", ", ALL));
    }

    public static Engine create(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "mmgraph" -> new MMGraphEngine(false);
            case "mmgraph-pq" -> new MMGraphEngine(true);
            case "jvector" -> new JVectorEngine();
            case "lucene" -> new LuceneEngine();
            case "exact" -> new ExactEngine();
            default -> throw unknown(name);
        };
    }
}
