package io.mmgraph.bench.engine;

import java.util.List;
import java.util.Locale;

/** The engines {@code mmgraph bench} knows, by name. hnswlib is not here: it runs in Python (see HnswlibRunner). */
public final class Engines {
    /** Engines run in a JVM of their own. */
    public static final List<String> JVM_ENGINES = List.of("mmgraph", "jvector", "lucene", "exact");

    private Engines() {
    }

    public static Engine create(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "mmgraph" -> new MMGraphEngine();
            case "jvector" -> new JVectorEngine();
            case "lucene" -> new LuceneEngine();
            case "exact" -> new ExactEngine();
            default -> throw new IllegalArgumentException("unknown engine '" + name + "'; known: "
                    + String.join(", ", JVM_ENGINES) + ", hnswlib");
        };
    }
}
