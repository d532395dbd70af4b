package io.mmgraph.bench;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.mmgraph.bench.engine.BenchData;
import io.mmgraph.dataset.GroundTruth;
import io.mmgraph.dataset.MalformedVectorFileException;
import io.mmgraph.dataset.VectorFiles;
import io.mmgraph.vector.Metric;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchDataSetsTest {
    @TempDir
    Path tmp;

    private static float[][] random(Random r, int n, int dim) {
        float[][] v = new float[n][dim];
        for (float[] row : v) {
            for (int j = 0; j < dim; j++) {
                row[j] = (float) r.nextGaussian();
            }
        }
        return v;
    }

    @Test
    void annBenchmarksHdf5IsReadWithItsMetricAndTruth() throws IOException {
        Random r = new Random(7);
        float[][] train = random(r, 500, 12);
        float[][] test = random(r, 20, 12);
        // Deliberately wrong "truth" (all zeros): proves the file's own neighbors are used, not recomputed.
        int[][] neighbors = new int[20][100];
        Path file = tmp.resolve("tiny-12-angular.hdf5");
        try (WritableHdfFile w = HdfFile.write(file)) {
            w.putDataset("train", train);
            w.putDataset("test", test);
            w.putDataset("neighbors", neighbors);
            w.putAttribute("distance", "angular");
        }
        BenchDataSets.Prepared p = BenchDataSets.prepare(file, tmp.resolve("out"), 10, null, 0);
        assertEquals(Metric.COSINE, p.metric());
        assertEquals(500, p.n());
        assertEquals(12, p.dimension());
        assertEquals(20, p.queries());
        BenchData d = BenchDataSets.loadPrepared(p.dir(), p.metric());
        assertArrayEquals(train[123], d.base()[123]);
        assertArrayEquals(test[19], d.queries()[19]);
        assertArrayEquals(neighbors[3], d.truth()[3]);

        BenchDataSets.Prepared limited = BenchDataSets.prepare(file, tmp.resolve("out2"), 10, Metric.L2, 5);
        assertEquals(Metric.L2, limited.metric(), "--metric overrides the file's");
        assertEquals(5, limited.queries());
        assertEquals(5, VectorFiles.readIvecs(limited.dir().resolve(BenchDataSets.TRUTH)).length);
    }

    @Test
    void folderWithoutTruthGetsExactTruth() throws IOException {
        Random r = new Random(8);
        float[][] base = random(r, 300, 8);
        float[][] queries = random(r, 10, 8);
        Path in = Files.createDirectories(tmp.resolve("in"));
        VectorFiles.writeFvecs(in.resolve("base.fvecs"), Arrays.asList(base));
        VectorFiles.writeFvecs(in.resolve("query.fvecs"), Arrays.asList(queries));
        BenchDataSets.Prepared p = BenchDataSets.prepare(in, tmp.resolve("out"), 10, null, 0);
        assertEquals(Metric.L2, p.metric());
        int[][] truth = VectorFiles.readIvecs(p.dir().resolve(BenchDataSets.TRUTH));
        assertArrayEquals(GroundTruth.compute(base, queries, 100, Metric.L2), truth);
    }

    @Test
    void badInputIsRefusedByName() throws IOException {
        Path notHdf5 = Files.write(tmp.resolve("junk.hdf5"), new byte[]{1, 2, 3, 4, 5, 6, 7, 8});
        assertThrows(MalformedVectorFileException.class,
                () -> BenchDataSets.prepare(notHdf5, tmp.resolve("o1"), 10, null, 0));
        Path missing = tmp.resolve("nothing-here.txt");
        IOException e = assertThrows(IOException.class, () -> BenchDataSets.prepare(missing, tmp.resolve("o2"), 10, null, 0));
        assertTrue(e.getMessage().contains("--data"), e.getMessage());

        Path noTrain = tmp.resolve("no-train.hdf5");
        try (WritableHdfFile w = HdfFile.write(noTrain)) {
            w.putDataset("test", new float[][]{{1, 2}});
        }
        MalformedVectorFileException m = assertThrows(MalformedVectorFileException.class,
                () -> BenchDataSets.prepare(noTrain, tmp.resolve("o3"), 10, null, 0));
        assertTrue(m.getMessage().contains("train"), m.getMessage());
    }
}
