package io.mmgraph.index;

import io.mmgraph.TestSeeds;
import io.mmgraph.vector.Kernels;
import io.mmgraph.vector.Metric;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The entry sample: even spacing, √N size, and the sampled nodes nearest the query, nearest first. */
class EntrySampleTest {
    @TempDir
    Path tmp;

    @Test
    void picksTheNearestSampledNodesInOrder() throws IOException {
        Random r = TestSeeds.random("EntrySampleTest.picksTheNearestSampledNodesInOrder");
        int dim = 8;
        int n = 5000;
        try (MMapGraph index = MMapGraph.create(tmp, IndexOptions.dimension(dim).withMaxDegree(8).withBuildBeamWidth(16))) {
            float[][] vs = new float[n][dim];
            for (float[] v : vs) {
                for (int j = 0; j < dim; j++) {
                    v[j] = (float) r.nextGaussian();
                }
            }
            index.addAll(java.util.Arrays.asList(vs), 1);
            EntrySample sample = EntrySample.of(index.files().vectors(), n);
            assertEquals((int) Math.ceil(Math.sqrt(n)), sample.size());
            int[] into = new int[EntrySample.SEEDS];
            float[] scratch = new float[EntrySample.SEEDS];
            for (int q = 0; q < 20; q++) {
                float[] query = vs[r.nextInt(n)].clone();
                query[0] += 0.5f;
                assertEquals(EntrySample.SEEDS, sample.nearest(Kernels.get(), Metric.L2, query, into, scratch));
                // Oracle: every evenly spaced ordinal i·n/size, sorted by distance (ties by ordinal).
                List<Integer> sampled = new ArrayList<>();
                for (int i = 0; i < sample.size(); i++) {
                    sampled.add((int) ((long) i * n / sample.size()));
                }
                sampled.sort(Comparator.<Integer>comparingDouble(o -> Kernels.get().distance(Metric.L2, query, vs[o]))
                        .thenComparing(o -> o));
                for (int i = 0; i < into.length; i++) {
                    assertEquals(sampled.get(i), into[i], "rank " + i);
                    assertTrue(i == 0 || scratch[i - 1] <= scratch[i]);
                }
            }
        }
    }
}
