package io.mmgraph.index;

import io.mmgraph.TestSeeds;
import io.mmgraph.TestVectors;
import io.mmgraph.filter.PayloadFilter;
import io.mmgraph.graph.NodeFilter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Filtered search over payload fields: against exact filtered search, a 1% filter still returns k results at
 * recall@10 ≥ 0.9, and so do a 10% range, a conjunction and a negation; deleted vectors stay out. The same again with
 * the fields indexed (their columns decide).
 */
class PayloadFilterSearchTest {
    private static final int DIM = 24;
    private static final int N = 6000;

    @TempDir
    Path tmp;

    @Test
    void filtersOnPayloadFieldsKeepRecallAgainstExactFilteredSearch() throws IOException {
        Random r = TestSeeds.random("PayloadFilterSearchTest");
        long seed = r.nextLong();
        try (MMapGraph g = MMapGraph.create(tmp.resolve("idx"), IndexOptions.dimension(DIM).withExtentSlots(1024))) {
            List<String> ids = new ArrayList<>();
            List<float[]> vectors = new ArrayList<>();
            List<String> payloads = new ArrayList<>();
            for (int i = 0; i < N; i++) {
                ids.add("v" + i);
                vectors.add(TestVectors.vector(seed, i, DIM));
                payloads.add("{\"bucket\":" + (i % 100) + ",\"year\":" + (1990 + i % 30) + ",\"lang\":\""
                        + (i % 3 == 0 ? "en" : "de") + "\",\"tags\":[\"t" + (i % 7) + "\",\"all\"]}");
            }
            g.upsertAll(ids, vectors, payloads, 2);
            for (int i = 0; i < N; i += 50) {
                g.delete("v" + i); // bucket 0 and 50 lose every vector: a filter on them matches none
            }
            List<PayloadFilter> filters = List.of(
                    PayloadFilter.equalTo("bucket", 7),                                   // 1%
                    PayloadFilter.range("year", 2010.0, true, 2012.0, true),              // 10%
                    PayloadFilter.and(List.of(PayloadFilter.equalTo("lang", "en"),
                            PayloadFilter.anyOf("tags", List.of("t1", "t2")))),           // ~9.5%
                    PayloadFilter.not(PayloadFilter.equalTo("tags", "t3")),               // ~86%
                    PayloadFilter.equalTo("bucket", 50));                                 // none live
            for (int pass = 0; pass < 2; pass++) {
                if (pass == 1) {
                    // Again on field columns: the filters then read entries (tags, arrays of two values, still
                    // read payloads), and the scan finds the accepted vectors in one pass over the columns.
                    for (String field : List.of("bucket", "year", "lang", "tags")) {
                        g.indexField(field);
                    }
                }
                checkRecall(g, filters, seed);
            }
        }
    }

    private static void checkRecall(MMapGraph g, List<PayloadFilter> filters, long seed) throws IOException {
        for (PayloadFilter f : filters) {
            NodeFilter accept = g.payloadFilter(f);
            int matching = 0;
            for (int i = 0; i < N; i++) {
                matching += accept.accepts(i) && !g.isDeleted(i) ? 1 : 0;
            }
            double hits = 0;
            int expected = 0;
            int queries = 40;
            for (int q = 0; q < queries; q++) {
                float[] query = TestVectors.vector(seed + 1, q, DIM);
                SearchOptions o = SearchOptions.k(10).withEf(60).withFilter(accept);
                List<Neighbor> got = g.search(query, o).neighbors();
                List<Neighbor> truth = g.search(query, o.exactSearch()).neighbors();
                assertEquals(Math.min(10, matching), got.size(), f + ": k results whenever k match");
                assertEquals(got.size(), truth.size());
                Set<Integer> exact = new HashSet<>();
                truth.forEach(n -> exact.add(n.ordinal()));
                for (Neighbor n : got) {
                    assertTrue(accept.accepts(n.ordinal()) && !g.isDeleted(n.ordinal()), f + " returned " + n);
                    hits += exact.contains(n.ordinal()) ? 1 : 0;
                }
                expected += truth.size();
            }
            if (expected > 0) {
                double recall = hits / expected;
                assertTrue(recall >= 0.9, f + ": recall@10 against exact filtered search " + recall);
            }
        }
    }
}
