package io.mmgraph.vector;

import java.util.Locale;

/**
 * How distance is measured. Every metric is reported as a distance: lower is nearer.
 * <ul>
 *   <li>{@link #L2}: squared Euclidean distance.</li>
 *   <li>{@link #COSINE}: {@code 1 - cos(q, v)}, in [0, 2]. Vectors are stored normalized to unit length (so cosine
 *       is a dot product at search time); a zero vector has no direction and is rejected.</li>
 *   <li>{@link #DOT}: {@code -dot(q, v)} (maximum inner product). Vectors are stored as given.</li>
 * </ul>
 */
public enum Metric {
    L2(1),
    COSINE(2),
    DOT(3);

    private final int code;

    Metric(int code) {
        this.code = code;
    }

    /** The code stored in the manifest. */
    public int code() {
        return code;
    }

    public static Metric fromCode(int code) {
        for (Metric m : values()) {
            if (m.code == code) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown metric code " + code);
    }

    /** Parses "l2", "euclidean", "cosine", "angular", "dot", "ip" (any case). */
    public static Metric parse(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "l2", "euclidean" -> L2;
            case "cosine", "angular" -> COSINE;
            case "dot", "ip", "inner_product" -> DOT;
            default -> throw new IllegalArgumentException("unknown metric '" + name + "' (expected l2, cosine or dot)");
        };
    }

    /** Whether stored vectors (and queries) are normalized to unit length. */
    public boolean normalizes() {
        return this == COSINE;
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
