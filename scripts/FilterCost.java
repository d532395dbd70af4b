// Run as scripts/DeleteCompact.java is (Java source-file mode on core/target/classes): docs/benchmarks.md, "What a payload filter costs".
import io.mmgraph.dataset.SyntheticData;
import io.mmgraph.filter.PayloadFilter;
import io.mmgraph.graph.NodeFilter;
import io.mmgraph.index.*;
import java.nio.file.*;
import java.util.*;

/**
 * QPS of filtered search: the same filter as a payload condition (parse per candidate), on the field's column
 * ({@code indexField}: a 16-byte entry per candidate) and as a per-ordinal test that reads nothing.
 */
public class FilterCost {
    static PayloadFilter bucketsBelow(int p) {
        List<Object> buckets = new ArrayList<>();
        for (int b = 0; b < p; b++) buckets.add(b);
        return PayloadFilter.anyOf("bucket", buckets);
    }

    public static void main(String[] a) throws Exception {
        Path dir = Path.of(a[0]);
        int n = Integer.parseInt(a[1]);
        SyntheticData data = new SyntheticData(128, 100, 7);
        float[][] qs = data.queries(500);
        try (MMapGraph g = MMapGraph.create(dir, IndexOptions.dimension(128))) {
            List<String> ids = new ArrayList<>(); List<float[]> vs = new ArrayList<>(); List<String> ps = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                ids.add("d" + i); vs.add(data.base(i));
                ps.add("{\"bucket\":" + (i % 100) + ",\"year\":" + (1990 + i % 30) + ",\"title\":\"document number " + i + "\"}");
            }
            g.upsertAll(ids, vs, ps, 2);
            int[] shares = {1, 10, 50};
            Map<Integer, NodeFilter> byPayload = new HashMap<>();
            for (int p : shares) byPayload.put(p, g.payloadFilter(bucketsBelow(p))); // made before the column exists
            g.indexField("bucket");
            for (int p : shares) {
                NodeFilter byOrdinal = ord -> ord % 100 < p;           // the same vectors, known without a read
                NodeFilter byColumn = g.payloadFilter(bucketsBelow(p));
                for (String run : new String[] {"ordinal", "payload", "column"}) {
                    NodeFilter f = run.equals("ordinal") ? byOrdinal : run.equals("payload") ? byPayload.get(p) : byColumn;
                    SearchOptions o = SearchOptions.k(10).withEf(100).withFilter(f);
                    for (float[] q : qs) g.search(q, o); // warm-up
                    long t0 = System.nanoTime();
                    for (float[] q : qs) g.search(q, o);
                    double qps = qs.length / ((System.nanoTime() - t0) / 1e9);
                    System.out.printf("%3d%% accepted, filter by %-7s: %,8.0f QPS%n", p, run, qps);
                }
            }
        }
    }
}
