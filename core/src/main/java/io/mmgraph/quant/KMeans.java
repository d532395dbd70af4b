package io.mmgraph.quant;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * k-means clustering under squared Euclidean distance: k-means++ seeding (Arthur and Vassilvitskii, "k-means++: the
 * advantages of careful seeding", 2007) followed by Lloyd iterations. Product quantization trains one of these per
 * subspace.
 *
 * <ul>
 *   <li><b>Deterministic</b>: the same points, {@code k}, iteration limit and seed give the same centroids bit for bit.
 *       Ties go to the lower centroid index; sums are accumulated in double precision in point order.</li>
 *   <li><b>{@code k} greater than the number of points</b> is refused with an {@link IllegalArgumentException}:
 *       clamping is the caller's choice ({@link ProductQuantizer#train} clamps to the sample size).</li>
 *   <li><b>Empty clusters</b>: after an update, a cluster that lost all its points is re-seeded with the point
 *       farthest from its own centroid, taken from a cluster that keeps at least one other point. When every point
 *       already sits on a centroid (fewer distinct points than {@code k}), the empty cluster keeps its old centroid, a
 *       duplicate: harmless for quantization, where it simply never wins.</li>
 *   <li><b>Stopping</b>: after {@code maxIterations} updates, or earlier when an assignment step changes no point's
 *       cluster (a fixed point of Lloyd's algorithm).</li>
 * </ul>
 * Cost: {@code O(n · k · dimension)} for the seeding and for each iteration. Stateless; safe from any thread.
 */
final class KMeans {
    private KMeans() {}

    /**
     * The result of a clustering. {@code centroids} holds {@code k} rows of {@code dimension} floats, row-major;
     * {@code assignment[i]} is the nearest of those centroids to point {@code i} (ties to the lower index).
     * {@code iterations} counts the Lloyd updates run; {@code converged} says the last assignment step changed nothing.
     */
    record Clustering(float[] centroids, int k, int dimension, int[] assignment, int iterations, boolean converged) {
        /** A copy of centroid {@code c}. */
        float[] centroid(int c) {
            return Arrays.copyOfRange(centroids, c * dimension, (c + 1) * dimension);
        }

        /** How many points are assigned to each centroid. */
        int[] sizes() {
            int[] sizes = new int[k];
            for (int a : assignment) {
                sizes[a]++;
            }
            return sizes;
        }
    }

    /** Clusters {@code points}, rows of one dimension, into {@code k} clusters. */
    static Clustering cluster(float[][] points, int k, int maxIterations, long seed) {
        if (points == null || points.length == 0) {
            throw new IllegalArgumentException("no points to cluster");
        }
        if (points[0] == null) {
            throw new IllegalArgumentException("point 0 is null");
        }
        int dimension = points[0].length;
        float[] flat = new float[Math.multiplyExact(points.length, dimension)];
        for (int i = 0; i < points.length; i++) {
            if (points[i] == null || points[i].length != dimension) {
                throw new IllegalArgumentException("point " + i + " has dimension "
                        + (points[i] == null ? "null" : points[i].length) + ", expected " + dimension);
            }
            System.arraycopy(points[i], 0, flat, i * dimension, dimension);
        }
        return cluster(flat, dimension, k, maxIterations, seed);
    }

    /** Clusters the {@code points.length / dimension} points stored row-major in {@code points}. */
    static Clustering cluster(float[] points, int dimension, int k, int maxIterations, long seed) {
        int n = checkPoints(points, dimension);
        if (k < 1 || k > n) {
            throw new IllegalArgumentException("k=" + k + " must be in [1, " + n + "], the number of points");
        }
        checkIterations(maxIterations);
        float[] centroids = seedPlusPlus(points, n, dimension, k, new SplittableRandom(seed));
        return lloyd(points, n, dimension, centroids, k, maxIterations);
    }

    /**
     * Lloyd iterations from the given initial centroids ({@code k} rows of {@code dimension} floats, copied): for
     * callers that choose their own seeding, and for tests that provoke empty clusters.
     */
    static Clustering refine(float[] points, int dimension, float[] initialCentroids, int maxIterations) {
        int n = checkPoints(points, dimension);
        if (initialCentroids.length == 0 || initialCentroids.length % dimension != 0) {
            throw new IllegalArgumentException("initial centroids hold " + initialCentroids.length
                    + " floats, not a positive multiple of dimension " + dimension);
        }
        checkFinite(initialCentroids, "initial centroid");
        checkIterations(maxIterations);
        int k = initialCentroids.length / dimension;
        return lloyd(points, n, dimension, initialCentroids.clone(), k, maxIterations);
    }

    private static int checkPoints(float[] points, int dimension) {
        if (dimension < 1) {
            throw new IllegalArgumentException("dimension=" + dimension + " must be at least 1");
        }
        if (points.length == 0 || points.length % dimension != 0) {
            throw new IllegalArgumentException(points.length + " floats are not a positive number of points of dimension "
                    + dimension);
        }
        checkFinite(points, "point");
        return points.length / dimension;
    }

    private static void checkFinite(float[] values, String what) {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new IllegalArgumentException(what + " component " + i + " is " + values[i]);
            }
        }
    }

    private static void checkIterations(int maxIterations) {
        if (maxIterations < 0) {
            throw new IllegalArgumentException("maxIterations=" + maxIterations + " must be at least 0");
        }
    }

    /**
     * k-means++: the first centre uniformly, each next one with probability proportional to its squared distance
     * from the nearest centre chosen so far. A point already chosen has distance 0, so it is never chosen twice while
     * any point off the centres remains; only then (fewer distinct points than k) is a duplicate drawn uniformly.
     */
    static float[] seedPlusPlus(float[] points, int n, int dimension, int k, SplittableRandom random) {
        float[] centroids = new float[k * dimension];
        float[] nearest = new float[n];
        int first = random.nextInt(n);
        System.arraycopy(points, first * dimension, centroids, 0, dimension);
        for (int i = 0; i < n; i++) {
            nearest[i] = squaredDistance(points, i * dimension, centroids, 0, dimension);
        }
        for (int c = 1; c < k; c++) {
            double total = 0;
            for (int i = 0; i < n; i++) {
                total += nearest[i];
            }
            int pick;
            if (total > 0) {
                double target = random.nextDouble() * total;
                double cumulative = 0;
                pick = -1;
                for (int i = 0; i < n; i++) {
                    if (nearest[i] > 0) {
                        cumulative += nearest[i];
                        pick = i; // the last point with weight, should rounding leave target beyond the final sum
                        if (cumulative > target) {
                            break;
                        }
                    }
                }
            } else {
                pick = random.nextInt(n);
            }
            int at = c * dimension;
            System.arraycopy(points, pick * dimension, centroids, at, dimension);
            for (int i = 0; i < n; i++) {
                float d = squaredDistance(points, i * dimension, centroids, at, dimension);
                if (d < nearest[i]) {
                    nearest[i] = d;
                }
            }
        }
        return centroids;
    }

    /** Alternates assignment and update from {@code centroids} (updated in place, then owned by the result). */
    private static Clustering lloyd(float[] points, int n, int dimension, float[] centroids, int k, int maxIterations) {
        int[] assignment = new int[n];
        Arrays.fill(assignment, -1);
        float[] distance = new float[n];
        assign(points, n, dimension, centroids, k, assignment, distance);
        int iterations = 0;
        boolean converged = false;
        while (iterations < maxIterations) {
            update(points, n, dimension, centroids, k, assignment, distance);
            iterations++;
            // Each centroid is now the mean of its points; if no point finds a nearer one, the next update would
            // reproduce these centroids exactly: a fixed point.
            if (assign(points, n, dimension, centroids, k, assignment, distance) == 0) {
                converged = true;
                break;
            }
        }
        return new Clustering(centroids, k, dimension, assignment, iterations, converged);
    }

    /**
     * Assigns every point to its nearest centroid (ties to the lower index) and records that squared distance.
     * Returns how many points changed cluster.
     */
    private static int assign(float[] points, int n, int dimension, float[] centroids, int k, int[] assignment,
                              float[] distance) {
        int changed = 0;
        for (int i = 0; i < n; i++) {
            int p = i * dimension;
            int best = 0;
            float bestDistance = squaredDistance(points, p, centroids, 0, dimension);
            for (int c = 1, at = dimension; c < k; c++, at += dimension) {
                float d = squaredDistance(points, p, centroids, at, dimension);
                if (d < bestDistance) {
                    bestDistance = d;
                    best = c;
                }
            }
            if (assignment[i] != best) {
                assignment[i] = best;
                changed++;
            }
            distance[i] = bestDistance;
        }
        return changed;
    }

    /**
     * Moves each centroid to the mean of its points, after re-seeding empty clusters. {@code distance} must hold each
     * point's squared distance to its centroid from the last assignment; relocated points get 0 there, so no point is
     * taken twice.
     */
    private static void update(float[] points, int n, int dimension, float[] centroids, int k, int[] assignment,
                               float[] distance) {
        int[] sizes = new int[k];
        for (int i = 0; i < n; i++) {
            sizes[assignment[i]]++;
        }
        for (int c = 0; c < k; c++) {
            if (sizes[c] == 0) {
                int donor = farthestMovablePoint(n, assignment, distance, sizes);
                if (donor >= 0) {
                    sizes[assignment[donor]]--;
                    assignment[donor] = c;
                    sizes[c] = 1;
                    distance[donor] = 0;
                }
            }
        }
        double[] sums = new double[k * dimension];
        for (int i = 0; i < n; i++) {
            int p = i * dimension;
            int s = assignment[i] * dimension;
            for (int j = 0; j < dimension; j++) {
                sums[s + j] += points[p + j];
            }
        }
        for (int c = 0; c < k; c++) {
            if (sizes[c] > 0) {
                int at = c * dimension;
                for (int j = 0; j < dimension; j++) {
                    centroids[at + j] = (float) (sums[at + j] / sizes[c]);
                }
            }
        }
    }

    /**
     * The point farthest from its centroid among clusters that keep another point when it leaves (so re-seeding one
     * cluster never empties another); -1 when every such point sits on its centroid.
     */
    private static int farthestMovablePoint(int n, int[] assignment, float[] distance, int[] sizes) {
        int farthest = -1;
        float farthestDistance = 0;
        for (int i = 0; i < n; i++) {
            if (distance[i] > farthestDistance && sizes[assignment[i]] > 1) {
                farthestDistance = distance[i];
                farthest = i;
            }
        }
        return farthest;
    }

    static float squaredDistance(float[] a, int aOffset, float[] b, int bOffset, int length) {
        float sum = 0;
        for (int j = 0; j < length; j++) {
            float d = a[aOffset + j] - b[bOffset + j];
            sum += d * d;
        }
        return sum;
    }
}
