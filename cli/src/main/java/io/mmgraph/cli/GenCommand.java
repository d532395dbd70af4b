package io.mmgraph.cli;

import io.mmgraph.dataset.GroundTruth;
import io.mmgraph.dataset.SyntheticData;
import io.mmgraph.dataset.VectorFiles;
import io.mmgraph.vector.Metric;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;

@Command(name = "gen", mixinStandardHelpOptions = true,
        description = {"Generate a seeded synthetic data set with exact ground truth.",
                "Writes base.fvecs, query.fvecs and truth.ivecs (exact nearest neighbours of each query,",
                "nearest first) to OUTDIR. Vectors come from a mixture of",
                "anisotropic Gaussian clusters with a decaying spectrum (see SyntheticData's javadoc)."})
final class GenCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "OUTDIR", description = "Output directory (created if absent).")
    Path out;

    @Option(names = "--n", required = true, paramLabel = "N", description = "Base vectors.")
    int n;

    @Option(names = "--dim", required = true, paramLabel = "D", description = "Dimension.")
    int dim;

    @Option(names = "--queries", defaultValue = "1000", paramLabel = "Q", description = "Query vectors (default: ${DEFAULT-VALUE}).")
    int queries;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "S", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--clusters", defaultValue = "1000", paramLabel = "C", description = "Gaussian clusters (default: ${DEFAULT-VALUE}).")
    int clusters;

    @Option(names = "--truth-k", defaultValue = "100", paramLabel = "K", description = "Neighbours per truth row (default: ${DEFAULT-VALUE}).")
    int truthK;

    @Option(names = "--metric", defaultValue = "l2", paramLabel = "M", description = "Metric of the truth: l2, cosine or dot (default: ${DEFAULT-VALUE}).")
    String metric;

    @Override
    public Integer call() throws Exception {
        if (n < 1 || dim < 1 || queries < 0 || truthK < 1) {
            throw new IllegalArgumentException("need --n >= 1, --dim >= 1, --queries >= 0, --truth-k >= 1");
        }
        Files.createDirectories(out);
        long t0 = System.nanoTime();
        float[][] base = generate(out, n, dim, queries, seed, clusters, truthK, Metric.parse(metric));
        System.out.printf("wrote %d base and %d query vectors of dimension %d, with %d-NN truth, to %s in %.1f s%n",
                base.length, queries, dim, Math.min(truthK, n), out, (System.nanoTime() - t0) / 1e9);
        return 0;
    }

    /** Writes the three files and returns the base vectors. */
    static float[][] generate(Path out, int n, int dim, int queries, long seed, int clusters, int truthK,
                              Metric metric) throws java.io.IOException {
        SyntheticData data = new SyntheticData(dim, clusters, seed);
        float[][] base = data.bases(n);
        float[][] qs = data.queries(queries);
        VectorFiles.writeFvecs(out.resolve("base.fvecs"), Arrays.asList(base));
        VectorFiles.writeFvecs(out.resolve("query.fvecs"), Arrays.asList(qs));
        VectorFiles.writeIvecs(out.resolve("truth.ivecs"), GroundTruth.compute(base, qs, truthK, metric));
        return base;
    }
}
