package io.mmgraph.bench.engine;

import io.mmgraph.index.IndexOptions;
import io.mmgraph.index.MMapGraph;
import io.mmgraph.vector.Kernels;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * mmgraph itself: built with {@link MMapGraph#addAll} in batches, searched on a fresh read-only open. As
 * {@code mmgraph-pq}, with product-quantization codes of one byte per four dimensions: the walk scores codes and the
 * beam is re-ranked by the full vectors (the beyond-RAM configuration).
 */
public final class MMGraphEngine implements Engine {
    /** Batch size of {@code addAll}: the same as {@code mmgraph import}. */
    private static final int BATCH = 4096;
    /** Dimensions per code byte of {@code mmgraph-pq}: 128-d vectors get 32-byte codes, 16× smaller. */
    private static final int DIMENSIONS_PER_CODE_BYTE = 4;
    private final boolean codes;
    private BuildParams params;

    public MMGraphEngine(boolean codes) {
        this.codes = codes;
    }

    @Override
    public String name() {
        return codes ? "mmgraph-pq" : "mmgraph";
    }

    @Override
    public String simdProvider() {
        return Kernels.get().name();
    }

    @Override
    public String describeConfig() {
        return params == null ? "mmgraph" : "mmgraph R=" + params.degree() + " L=" + params.buildBeamWidth()
                + " alpha=" + params.alpha() + " (incremental Vamana, mapped vectors and lists"
                + (codes ? "; walks by PQ codes of d/" + DIMENSIONS_PER_CODE_BYTE + " bytes, re-ranks by vectors)" : ")");
    }

    @Override
    public void build(BenchData data, BuildParams params, Path dir, int threads) throws IOException {
        this.params = params;
        IndexOptions options = IndexOptions.dimension(data.dimension()).withMetric(params.metric())
                .withMaxDegree(params.degree()).withBuildBeamWidth(params.buildBeamWidth()).withAlpha(params.alpha());
        if (codes) {
            // Trained at the default size, or on the whole set where it is smaller, so that every search uses codes.
            options = options.withCodeBytes(Math.max(1, data.dimension() / DIMENSIONS_PER_CODE_BYTE))
                    .withCodeTrainSize(Math.min(IndexOptions.DEFAULT_CODE_TRAIN_SIZE, data.base().length));
        }
        try (MMapGraph index = MMapGraph.create(dir, options)) {
            List<float[]> all = Arrays.asList(data.base());
            for (int from = 0; from < all.size(); from += BATCH) {
                index.addAll(all.subList(from, Math.min(all.size(), from + BATCH)), threads);
            }
            index.sync();
        }
    }

    @Override
    public SearchIndex open(String variant, Path dir, BuildParams params) throws IOException {
        MMapGraph index = MMapGraph.openReadOnly(dir);
        return new SearchIndex() {
            @Override
            public String effortName() {
                return "ef";
            }

            @Override
            public Session newSession() {
                return new Session() {
                    @Override
                    public int search(float[] query, int k, int effort, int[] out) throws IOException {
                        return index.search(query, k, effort, out, null);
                    }

                    @Override
                    public long lastVisited() {
                        return index.lastDistanceComputations();
                    }
                };
            }

            @Override
            public void close() throws IOException {
                index.close();
            }
        };
    }
}
