// Run by scripts/bench-deletes.sh (Java source-file mode, on the core classes): docs/benchmarks.md, "Deletes and compaction".
import io.mmgraph.dataset.SyntheticData;
import io.mmgraph.index.*;
import java.nio.file.*;
import java.util.*;

/** Recall@10 (graph vs exact over the live vectors) before deleting, after deleting 30%, after consolidating, after compacting. */
public class DeleteCompact {
    static double recall(MMapGraph g, float[][] qs, int ef) throws Exception {
        double hits = 0, total = 0;
        for (float[] q : qs) {
            Set<Integer> exact = new HashSet<>();
            g.search(q, SearchOptions.k(10).exactSearch()).neighbors().forEach(n -> exact.add(n.ordinal()));
            for (Neighbor n : g.search(q, SearchOptions.k(10).withEf(ef)).neighbors()) hits += exact.contains(n.ordinal()) ? 1 : 0;
            total += exact.size();
        }
        return hits / total;
    }
    static void report(String what, MMapGraph g, float[][] qs) throws Exception {
        System.out.printf("%-34s live %,d  recall@10 ef40 %.4f  ef100 %.4f%n", what, g.size() - g.deletedCount(), recall(g, qs, 40), recall(g, qs, 100));
    }
    public static void main(String[] a) throws Exception {
        int n = Integer.parseInt(a[1]);
        Path dir = Path.of(a[0]);
        SyntheticData data = new SyntheticData(128, 100, 7);
        float[][] qs = data.queries(200);
        List<String> ids = new ArrayList<>(); List<float[]> vs = new ArrayList<>();
        for (int i = 0; i < n; i++) { ids.add("d" + i); vs.add(data.base(i)); }
        Random r = new Random(3);
        long t0 = System.nanoTime();
        try (MMapGraph g = MMapGraph.create(dir, IndexOptions.dimension(128))) {
            g.upsertAll(ids, vs, null, 2);
            System.out.printf("built %,d in %.1f s%n", n, (System.nanoTime() - t0) / 1e9);
            report("before deleting", g, qs);
            int deleted = 0;
            while (deleted < n * 3 / 10) if (g.delete("d" + r.nextInt(n))) deleted++;
            report("30% deleted", g, qs);
            long t1 = System.nanoTime();
            int rewritten = g.consolidate();
            System.out.printf("consolidated: %,d lists rewritten in %.1f s%n", rewritten, (System.nanoTime() - t1) / 1e9);
            report("30% deleted, consolidated", g, qs);
            long t2 = System.nanoTime();
            MMapGraph.CompactionResult c = g.compact();
            System.out.printf("compacted %,d -> %,d in %.1f s%n", c.before(), c.after(), (System.nanoTime() - t2) / 1e9);
        }
        try (MMapGraph g = MMapGraph.openReadOnly(dir)) {
            report("compacted", g, qs);
        }
    }
}
