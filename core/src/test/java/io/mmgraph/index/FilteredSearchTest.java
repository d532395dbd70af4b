package io.mmgraph.index;

import io.mmgraph.TestSeeds;
import io.mmgraph.dataset.SyntheticData;
import io.mmgraph.graph.NodeFilter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Filtered search against exact filtered search: every result is accepted, k results come back whenever k are
 * accepted, and recall@10 holds for selective and broad filters, random and correlated with the vectors, on both of
 * {@link FilterPlan}'s plans (docs/design.md, "Filtered search").
 */
class FilteredSearchTest {
    private static final int DIM = 24;
    private static final int N = 20_000;
    private static final int K = 10;

    @TempDir
    static Path tmp;
    private static MMapGraph index;
    private static float[][] vectors;
    private static float[][] queries;

    @BeforeAll
    static void build() throws IOException {
        SyntheticData data = new SyntheticData(DIM, 40, TestSeeds.seed("FilteredSearchTest"));
        vectors = data.bases(N);
        queries = data.queries(60);
        index = MMapGraph.create(tmp.resolve("idx"), IndexOptions.dimension(DIM).withExtentSlots(4096));
        index.addAll(Arrays.asList(vectors), 2);
    }

    @AfterAll
    static void close() throws IOException {
        index.close();
    }

    private static float l2(float[] a, float[] b) {
        float s = 0;
        for (int i = 0; i < a.length; i++) {
            float d = a[i] - b[i];
            s += d * d;
        }
        return s;
    }

    private static List<Integer> exactFiltered(float[] q, BitSet accepted) {
        List<Integer> ids = new ArrayList<>();
        accepted.stream().forEach(ids::add);
        ids.sort((a, b) -> Float.compare(l2(vectors[a], q), l2(vectors[b], q)));
        return ids.subList(0, Math.min(K, ids.size()));
    }

    /** Random filters accept each ordinal with the given chance; region filters accept the lowest values of dim 0. */
    private static BitSet filter(String kind, double fraction, Random r) {
        BitSet accepted = new BitSet(N);
        if (kind.equals("random")) {
            for (int i = 0; i < N; i++) {
                if (r.nextDouble() < fraction) {
                    accepted.set(i);
                }
            }
        } else {
            float[] firsts = new float[N];
            for (int i = 0; i < N; i++) {
                firsts[i] = vectors[i][0];
            }
            float[] sorted = firsts.clone();
            Arrays.sort(sorted);
            float cut = sorted[(int) (fraction * (N - 1))];
            for (int i = 0; i < N; i++) {
                if (firsts[i] <= cut) {
                    accepted.set(i);
                }
            }
        }
        return accepted;
    }

    @ParameterizedTest(name = "{0} filter accepting {1}, ef {2}")
    @CsvSource({
            "random, 0.01, 100",  // 200 accepted: scanned
            "random, 0.10, 10",   // p^2 N = 200 <= L R = 320: scanned
            "random, 0.30, 10",   // p^2 N = 1800 > 320: walked
            "random, 0.50, 100",  // p^2 N = 5000 > 3200: walked
            "region, 0.01, 100",  // scanned
            "region, 0.30, 10",   // walked, towards a region the query may lie outside of
            "region, 0.60, 100"   // walked
    })
    void resultsAreAcceptedAndRecallAgainstExactFilteredSearchHolds(String kind, double fraction, int ef)
            throws IOException {
        Random r = TestSeeds.random("FilteredSearchTest." + kind + fraction);
        BitSet accepted = filter(kind, fraction, r);
        NodeFilter f = accepted::get;
        double p = FilterPlan.acceptedFraction(f, N);
        boolean scans = FilterPlan.scanIsCheaper(p, N, Math.max(ef, K), index.maxDegree());
        double hits = 0;
        for (float[] q : queries) {
            SearchResult result = index.search(q, SearchOptions.k(K).withEf(ef).withFilter(f));
            List<Integer> truth = exactFiltered(q, accepted);
            assertEquals(truth.size(), result.neighbors().size(), "k results whenever k are accepted");
            for (Neighbor nb : result.neighbors()) {
                assertTrue(accepted.get(nb.ordinal()), "returned " + nb.ordinal() + ", which the filter rejects");
                if (truth.contains(nb.ordinal())) {
                    hits++;
                }
            }
            if (scans) {
                assertEquals(accepted.cardinality(), result.distanceComputations(), "the scan scores the accepted");
            }
        }
        double recall = hits / (queries.length * (double) K);
        System.out.printf("%s filter accepting %.2f, ef %d: %s, recall@10 %.3f%n", kind, fraction, ef,
                scans ? "scan" : "walk", recall);
        assertTrue(recall >= 0.9, kind + " " + fraction + " (" + (scans ? "scan" : "walk") + "): recall@10 " + recall);
        if (scans) {
            assertEquals(1.0, recall, 1e-9, "the scan is exact");
        }
    }

    @Test
    void thePlanScansForSelectiveFiltersAndWalksForBroadOnes() {
        assertTrue(FilterPlan.scanIsCheaper(0.01, 10_000_000, 100, 32));
        assertFalse(FilterPlan.scanIsCheaper(0.02, 10_000_000, 100, 32));
        // A costly filter (a payload parsed per test) is counted in tests: the walk wins sooner.
        assertTrue(FilterPlan.scanIsCheaper(0.10, 100_000, 100, 32));
        assertFalse(FilterPlan.scanIsCheaper(0.10, 100_000, 100, 32, true));
        assertTrue(FilterPlan.scanIsCheaper(0.01, 100_000, 100, 32, true));
        io.mmgraph.graph.NodeFilter costly = new io.mmgraph.graph.NodeFilter() {
            @Override
            public boolean accepts(int node) {
                return true;
            }

            @Override
            public boolean costly() {
                return true;
            }
        };
        assertTrue(FilterPlan.both(costly, n -> true).costly() && FilterPlan.both(n -> true, costly).costly());
        assertFalse(FilterPlan.both(n -> true, n -> false).costly());
        assertTrue(FilterPlan.scanIsCheaper(0.17, 100_000, 100, 32));
        assertFalse(FilterPlan.scanIsCheaper(0.19, 100_000, 100, 32));
        assertTrue(FilterPlan.scanIsCheaper(0.0, 10_000_000, 1, 1), "nothing accepted in the sample: scan");
        BitSet half = new BitSet();
        for (int i = 0; i < N; i += 2) {
            half.set(i);
        }
        assertEquals(0.5, FilterPlan.acceptedFraction(half::get, N), 0.06, "every other ordinal is not met in step");
        BitSet tenth = new BitSet();
        for (int i = 0; i < N; i += 10) {
            tenth.set(i);
        }
        assertEquals(0.1, FilterPlan.acceptedFraction(tenth::get, N), 0.04);
    }

    @Test
    void aFilterAndDeletionsCombine() throws IOException {
        Path dir = tmp.resolve("small");
        try (MMapGraph g = MMapGraph.create(dir, IndexOptions.dimension(DIM))) {
            g.addAll(Arrays.asList(vectors).subList(0, 2000), 2);
            for (int i = 0; i < 2000; i += 3) {
                g.delete(i);
            }
            NodeFilter even = node -> node % 2 == 0;
            for (float[] q : queries) {
                for (SearchOptions o : List.of(SearchOptions.k(K).withFilter(even),
                        SearchOptions.k(K).withFilter(even).exactSearch())) {
                    List<Neighbor> found = g.search(q, o).neighbors();
                    assertEquals(K, found.size());
                    for (Neighbor nb : found) {
                        assertTrue(nb.ordinal() % 2 == 0 && nb.ordinal() % 3 != 0, "returned " + nb.ordinal());
                    }
                }
                assertTrue(g.search(q, SearchOptions.k(K).withFilter(node -> false)).neighbors().isEmpty());
            }
        }
    }
}
