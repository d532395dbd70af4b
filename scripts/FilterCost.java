// Run as scripts/DeleteCompact.java is (Java source-file mode on core/target/classes): docs/benchmarks.md, "What a payload filter costs".
import io.mmgraph.dataset.SyntheticData;
import io.mmgraph.filter.PayloadFilter;
import io.mmgraph.graph.NodeFilter;
import io.mmgraph.index.*;
import java.nio.file.*;
import java.util.*;

/** QPS of filtered search: the same filter as a payload condition (parse per candidate) and as a per-ordinal test. */
public class FilterCost {
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
            for (int[] share : new int[][] {{1, 100}, {10, 100}, {50, 100}}) {
                int p = share[0];
                NodeFilter byOrdinal = ord -> ord % 100 < p;           // the same vectors, known without a read
                List<Object> buckets = new ArrayList<>();
                for (int b = 0; b < p; b++) buckets.add(b);
                NodeFilter byPayload = g.payloadFilter(PayloadFilter.anyOf("bucket", buckets));
                for (String[] run : new String[][] {{"ordinal"}, {"payload"}}) {
                    NodeFilter f = run[0].equals("ordinal") ? byOrdinal : byPayload;
                    SearchOptions o = SearchOptions.k(10).withEf(100).withFilter(f);
                    for (float[] q : qs) g.search(q, o); // warm-up
                    long t0 = System.nanoTime();
                    for (float[] q : qs) g.search(q, o);
                    double qps = qs.length / ((System.nanoTime() - t0) / 1e9);
                    System.out.printf("%3d%% accepted, filter by %-7s: %,8.0f QPS%n", p, run[0], qps);
                }
            }
        }
    }
}
