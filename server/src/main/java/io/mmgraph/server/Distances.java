package io.mmgraph.server;

import io.mmgraph.vector.Metric;

/** Qdrant's distance names and scores for mmgraph's metrics. */
final class Distances {
    private Distances() {}

    static Metric metric(String name) {
        return switch (name) {
            case "Cosine" -> Metric.COSINE;
            case "Euclid" -> Metric.L2;
            case "Dot" -> Metric.DOT;
            default -> throw ApiException.badRequest("vectors.distance must be Cosine, Euclid or Dot, not " + name);
        };
    }

    static String name(Metric metric) {
        return switch (metric) {
            case COSINE -> "Cosine";
            case L2 -> "Euclid";
            case DOT -> "Dot";
        };
    }

    /**
     * Qdrant's score from mmgraph's distance (lower is nearer): cosine similarity (1 − d), the dot product (−d), the
     * Euclidean distance (√d: mmgraph's l2 is squared).
     */
    static double score(Metric metric, float distance) {
        return switch (metric) {
            case COSINE -> Math.min(1.0, 1.0 - distance); // a stored unit vector may be 1e-6 off
            case DOT -> -distance;
            case L2 -> Math.sqrt(Math.max(0, distance));
        };
    }
}
