package io.mmgraph.quant;

import io.mmgraph.TestSeeds;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * k-means on data whose answer is known: well-separated blobs, as many clusters as points, fewer distinct points than
 * clusters, and an initial centroid far from every point (an empty cluster to re-seed).
 */
class KMeansTest {

    /**
     * {@code blobs} Gaussian blobs of about {@code perBlob} points (sd 0.1) around centres drawn from N(0, 100^2) per
     * dimension. So far apart that k-means++ seeds every blob but with a probability below 1e-4: k-means cannot
     * recover a blob it did not seed, and the test must not be flaky.
     */
    private record Blobs(float[][] centres, float[][] points, int[] blob) {}

    private static Blobs blobs(Random r, int blobs, int perBlob, int dimension) {
        float[][] centres = new float[blobs][dimension];
        for (float[] c : centres) {
            for (int j = 0; j < dimension; j++) {
                c[j] = (float) (100 * r.nextGaussian());
            }
        }
        float[][] points = new float[blobs * perBlob][];
        int[] blob = new int[points.length];
        for (int i = 0; i < points.length; i++) {
            blob[i] = r.nextInt(blobs);
            points[i] = new float[dimension];
            for (int j = 0; j < dimension; j++) {
                points[i][j] = centres[blob[i]][j] + (float) (0.1 * r.nextGaussian());
            }
        }
        return new Blobs(centres, points, blob);
    }

    private static double distance(float[] a, float[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            double d = a[j] - b[j];
            s += d * d;
        }
        return Math.sqrt(s);
    }

    /** Sum of squared distances of points to their assigned centroids: what Lloyd's algorithm never increases. */
    private static double inertia(float[][] points, KMeans.Clustering c) {
        double s = 0;
        for (int i = 0; i < points.length; i++) {
            double d = distance(points[i], c.centroid(c.assignment()[i]));
            s += d * d;
        }
        return s;
    }

    /** Every point is assigned to a nearest centroid (the documented invariant of a result). */
    private static void assertAssignedToNearest(float[][] points, KMeans.Clustering c) {
        for (int i = 0; i < points.length; i++) {
            double own = distance(points[i], c.centroid(c.assignment()[i]));
            for (int k = 0; k < c.k(); k++) {
                assertTrue(own <= distance(points[i], c.centroid(k)) + 1e-5, "point " + i + " nearer centroid " + k);
            }
        }
    }

    @Test
    void recoversTheCentresOfWellSeparatedBlobs() {
        long seed = TestSeeds.seed("KMeansTest.recoversTheCentresOfWellSeparatedBlobs");
        Random r = new Random(seed);
        for (int round = 0; round < 5; round++) {
            int k = 2 + r.nextInt(10);
            Blobs data = blobs(r, k, 100, 16);
            KMeans.Clustering c = KMeans.cluster(data.points(), k, 50, r.nextLong());
            assertTrue(c.converged(), "round " + round + " converged after " + c.iterations());
            assertAssignedToNearest(data.points(), c);
            // Each blob maps to one centroid, close to the blob's centre, and no two blobs share one.
            int[] centroidOfBlob = new int[k];
            Arrays.fill(centroidOfBlob, -1);
            for (int i = 0; i < data.points().length; i++) {
                int b = data.blob()[i];
                if (centroidOfBlob[b] < 0) {
                    centroidOfBlob[b] = c.assignment()[i];
                }
                assertEquals(centroidOfBlob[b], c.assignment()[i], "round " + round + ": blob " + b + " is split");
            }
            Set<Integer> used = new HashSet<>();
            for (int b = 0; b < k; b++) {
                assertTrue(used.add(centroidOfBlob[b]), "round " + round + ": two blobs share centroid "
                        + centroidOfBlob[b]);
                double error = distance(data.centres()[b], c.centroid(centroidOfBlob[b]));
                assertTrue(error < 0.2, "round " + round + ": blob " + b + " centre missed by " + error);
            }
        }
    }

    @Test
    void sameSeedGivesTheSameClusteringAndLloydNeverIncreasesInertia() {
        Random r = TestSeeds.random("KMeansTest.sameSeedGivesTheSameClusteringAndLloydNeverIncreasesInertia");
        float[][] points = new float[800][6];
        for (float[] p : points) {
            for (int j = 0; j < p.length; j++) {
                p[j] = (float) r.nextGaussian();
            }
        }
        long seed = r.nextLong();
        KMeans.Clustering a = KMeans.cluster(points, 40, 30, seed);
        KMeans.Clustering b = KMeans.cluster(points, 40, 30, seed);
        assertArrayEquals(a.centroids(), b.centroids());
        assertArrayEquals(a.assignment(), b.assignment());
        assertEquals(a.iterations(), b.iterations());
        assertAssignedToNearest(points, a);

        // Runs with a growing iteration limit replay the same prefix, so their inertia can only go down.
        double previous = Double.POSITIVE_INFINITY;
        for (int iterations = 0; iterations <= 12; iterations++) {
            double inertia = inertia(points, KMeans.cluster(points, 40, iterations, seed));
            assertTrue(inertia <= previous * (1 + 1e-6), iterations + " iterations: " + inertia + " > " + previous);
            previous = inertia;
        }
    }

    @Test
    void zeroIterationsKeepsTheKMeansPlusPlusSeedsWhichAreDistinctPoints() {
        Random r = TestSeeds.random("KMeansTest.zeroIterationsKeepsTheKMeansPlusPlusSeedsWhichAreDistinctPoints");
        float[][] points = new float[60][3];
        for (float[] p : points) {
            for (int j = 0; j < p.length; j++) {
                p[j] = r.nextFloat();
            }
        }
        KMeans.Clustering c = KMeans.cluster(points, 25, 0, r.nextLong());
        assertEquals(0, c.iterations());
        Set<Integer> chosen = new HashSet<>();
        for (int k = 0; k < 25; k++) {
            int match = -1;
            for (int i = 0; i < points.length; i++) {
                if (Arrays.equals(points[i], c.centroid(k))) {
                    match = i;
                }
            }
            assertTrue(match >= 0, "seed " + k + " is not a point");
            assertTrue(chosen.add(match), "point " + match + " chosen twice");
        }
    }

    @Test
    void asManyClustersAsPointsPutsEachPointOnItsOwnCentroid() {
        Random r = TestSeeds.random("KMeansTest.asManyClustersAsPointsPutsEachPointOnItsOwnCentroid");
        float[][] points = new float[30][5];
        for (float[] p : points) {
            for (int j = 0; j < p.length; j++) {
                p[j] = (float) r.nextGaussian();
            }
        }
        KMeans.Clustering c = KMeans.cluster(points, points.length, 10, r.nextLong());
        assertTrue(c.converged());
        Set<Integer> used = new HashSet<>();
        for (int i = 0; i < points.length; i++) {
            assertTrue(used.add(c.assignment()[i]));
            assertArrayEquals(points[i], c.centroid(c.assignment()[i]));
        }
    }

    @Test
    void fewerDistinctPointsThanClustersLeavesDuplicateCentroids() {
        Random r = TestSeeds.random("KMeansTest.fewerDistinctPointsThanClustersLeavesDuplicateCentroids");
        List<float[]> distinct = List.of(new float[] {1, 2}, new float[] {-3, 0.5f}, new float[] {7, 7});
        float[][] points = new float[40][];
        for (int i = 0; i < points.length; i++) {
            points[i] = distinct.get(i < distinct.size() ? i : r.nextInt(distinct.size())).clone();
        }
        KMeans.Clustering c = KMeans.cluster(points, 8, 20, r.nextLong());
        assertTrue(c.converged());
        Set<String> centroids = new HashSet<>();
        for (int k = 0; k < 8; k++) {
            float[] centroid = c.centroid(k);
            assertTrue(distinct.stream().anyMatch(d -> Arrays.equals(d, centroid)), Arrays.toString(centroid));
            centroids.add(Arrays.toString(centroid));
        }
        assertEquals(3, centroids.size(), "every distinct point has a centroid");
        for (int i = 0; i < points.length; i++) {
            assertArrayEquals(points[i], c.centroid(c.assignment()[i]));
        }

        float[][] same = new float[10][];
        Arrays.setAll(same, i -> new float[] {4, 4, 4});
        KMeans.Clustering one = KMeans.cluster(same, 3, 5, r.nextLong());
        for (int k = 0; k < 3; k++) {
            assertArrayEquals(new float[] {4, 4, 4}, one.centroid(k));
        }
    }

    @Test
    void anEmptyClusterIsReseededWithTheFarthestPoint() {
        Random r = TestSeeds.random("KMeansTest.anEmptyClusterIsReseededWithTheFarthestPoint");
        // Two blobs; the third initial centroid is far from both, so its cluster is empty after the first assignment.
        float[][] points = new float[200][];
        float[] flat = new float[points.length * 2];
        for (int i = 0; i < points.length; i++) {
            float centre = i % 2 == 0 ? 0f : 10f;
            points[i] = new float[] {centre + (float) r.nextGaussian(), centre + (float) r.nextGaussian()};
            System.arraycopy(points[i], 0, flat, i * 2, 2);
        }
        float[] initial = {0, 0, 10, 10, 1000, 1000};
        KMeans.Clustering c = KMeans.refine(flat, 2, initial, 20);
        assertArrayEquals(new float[] {0, 0, 10, 10, 1000, 1000}, initial, "the initial centroids are not modified");
        for (int size : c.sizes()) {
            assertTrue(size > 0, "a cluster is still empty: " + Arrays.toString(c.sizes()));
        }
        float[] moved = c.centroid(2);
        assertTrue(Math.abs(moved[0]) < 20 && Math.abs(moved[1]) < 20, "the far centroid moved into the data: "
                + Arrays.toString(moved));
        assertAssignedToNearest(points, c);

        // With no iterations allowed nothing is re-seeded: the far cluster stays empty.
        assertEquals(0, KMeans.refine(flat, 2, initial, 0).sizes()[2]);
    }

    @Test
    void badArgumentsAreRefused() {
        float[][] points = {{1, 2}, {3, 4}, {5, 6}};
        assertThrows(IllegalArgumentException.class, () -> KMeans.cluster(new float[0][], 1, 5, 1));
        assertThrows(IllegalArgumentException.class, () -> KMeans.cluster(points, 0, 5, 1));
        IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
                () -> KMeans.cluster(points, 4, 5, 1));
        assertTrue(tooMany.getMessage().contains("k=4"), tooMany.getMessage());
        assertThrows(IllegalArgumentException.class, () -> KMeans.cluster(points, 2, -1, 1));
        assertThrows(IllegalArgumentException.class, () -> KMeans.cluster(new float[][] {{1, 2}, {3}}, 1, 5, 1));
        assertThrows(IllegalArgumentException.class, () -> KMeans.cluster(new float[][] {{1, 2}, null}, 1, 5, 1));
        assertThrows(IllegalArgumentException.class, () -> KMeans.cluster(new float[][] {{1, Float.NaN}}, 1, 5, 1));
        assertThrows(IllegalArgumentException.class,
                () -> KMeans.cluster(new float[][] {{Float.POSITIVE_INFINITY}}, 1, 5, 1));
        assertThrows(IllegalArgumentException.class, () -> KMeans.cluster(new float[][] {{}}, 1, 5, 1));
        assertThrows(IllegalArgumentException.class, () -> KMeans.cluster(new float[] {1, 2, 3}, 2, 1, 5, 1));
        assertThrows(IllegalArgumentException.class, () -> KMeans.refine(new float[] {1, 2}, 2, new float[] {1}, 5));
    }
}
