package io.mmgraph.graph;

/**
 * Incremental Vamana (DiskANN; Subramanya et al. 2019, with FreshDiskANN's insert): a new node is linked by a beam
 * search from the entry point with list size L, a robust prune of what it found down to at most R out-edges, and a
 * back-edge from each chosen neighbour, which re-prunes that neighbour's list when it is full.
 *
 * <p>Concurrency: any number of threads may link different nodes at once, each with its own {@link Worker}, while
 * searches run. Writes to one node's list are serialized by a striped lock; readers take no lock and rely on
 * {@link NeighborView}'s contract (each id read whole). A node's id reaches another node's list only after the node's
 * vector is stored (its inserting thread stores the vector before linking), so every id a search meets can be
 * scored.
 */
public final class GraphBuilder {
    private static final int LOCK_STRIPES = 1 << 12;
    /**
     * DiskANN lets a list grow to 1.3·R before re-pruning it to R, so that most back-edges are cheap appends. Our
     * records hold exactly R ids, so the same slack is taken from below: an overflowing list is re-pruned to R / 1.3
     * and refills by appends (docs/design.md, measured: 3× faster builds and higher recall than re-pruning to R).
     */
    static final double GRAPH_SLACK = 1.3;

    private final NeighborView graph;
    private final PairScorer scorer;
    private final int maxDegree;
    private final int beamWidth;
    private final float alpha;
    private final boolean ratios;
    private final Object[] locks = new Object[LOCK_STRIPES];
    private final int overflowKeep;

    /**
     * @param alpha           α ≥ 1 of robust pruning, applied to distances as the scorer reports them (for L2 these
     *                        are squared, as in DiskANN's code, where α = 1.2 is the usual value)
     * @param signedDistances whether distances can be negative (negated dot): then pruning uses plain comparisons
     */
    public GraphBuilder(NeighborView graph, PairScorer scorer, int beamWidth, float alpha, boolean signedDistances) {
        this.graph = graph;
        this.scorer = scorer;
        this.maxDegree = graph.maxDegree();
        this.beamWidth = beamWidth;
        this.alpha = signedDistances ? 1f : alpha;
        this.ratios = !signedDistances;
        this.overflowKeep = (int) Math.max(1, Math.round(maxDegree / GRAPH_SLACK));
        for (int i = 0; i < LOCK_STRIPES; i++) {
            locks[i] = new Object();
        }
    }

    /** Per-thread state for {@link #link}. */
    public final class Worker {
        final GraphSearcher searcher = new GraphSearcher(graph);
        final int[] candidates = new int[Math.max(beamWidth, maxDegree) + 1];
        final float[] candidateDistances = new float[candidates.length];
        /** The new node's chosen out-edges; back-edge pruning must not overwrite them while they are walked. */
        final int[] selected = new int[maxDegree];
        final int[] repruned = new int[maxDegree];
        /** A deleted neighbour's list, during a consolidation. */
        final int[] around = new int[maxDegree];
        final int[] list = new int[maxDegree + 1];
        final float[] listDistances = new float[maxDegree + 1];
        /** Candidates of a consolidation: up to R live neighbours and R of each of R deleted ones (made on first use). */
        int[] consolidationIds = new int[0];
        float[] consolidationDistances = new float[0];

        int[] consolidation(int size) {
            if (consolidationIds.length < size) {
                consolidationIds = new int[size];
                consolidationDistances = new float[size];
            }
            return consolidationIds;
        }
        final float[] occlusion = new float[candidates.length + maxDegree + 1];

        public GraphSearcher searcher() {
            return searcher;
        }
    }

    public Worker newWorker() {
        return new Worker();
    }

    /**
     * Links {@code node} (whose vector is stored and whose list is empty) into the graph.
     *
     * @param entry where the search starts; the node itself when it is the first
     * @param limit ids below this may be followed (nodes whose vectors are stored)
     */
    public void link(Worker w, int node, int entry, int limit) {
        if (entry == node) {
            return;
        }
        int found = w.searcher.search(scorer.fromInserted(node), entry, beamWidth, limit);
        int[] nodes = w.searcher.resultNodes();
        float[] dists = w.searcher.resultDistances();
        int n = 0;
        for (int i = 0; i < found; i++) {
            if (nodes[i] != node) {
                w.candidates[n] = nodes[i];
                w.candidateDistances[n] = dists[i];
                n++;
            }
        }
        int chosen = prune(w.candidates, w.candidateDistances, n, w.selected, maxDegree, w.occlusion);
        synchronized (lockOf(node)) {
            graph.setNeighbors(node, w.selected, chosen);
        }
        for (int i = 0; i < chosen; i++) {
            addBackEdge(w, w.selected[i], node);
        }
    }

    /** Adds {@code to} to {@code from}'s list, re-pruning the list when it is full. */
    private void addBackEdge(Worker w, int from, int to) {
        synchronized (lockOf(from)) {
            int[] list = w.list;
            int m = graph.neighbors(from, list, Integer.MAX_VALUE);
            for (int i = 0; i < m; i++) {
                if (list[i] == to) {
                    return;
                }
            }
            if (m < maxDegree) {
                list[m] = to;
                graph.setNeighbors(from, list, m + 1);
                return;
            }
            list[m] = to;
            float[] d = w.listDistances;
            NodeScorer fromScorer = scorer.from(from);
            for (int i = 0; i <= m; i++) {
                d[i] = fromScorer.distance(list[i]);
            }
            sortByDistance(list, d, m + 1);
            int chosen = prune(list, d, m + 1, w.repruned, overflowKeep, w.occlusion);
            graph.setNeighbors(from, w.repruned, chosen);
        }
    }

    /**
     * FreshDiskANN's delete consolidation for one node: when {@code node}'s list names nodes {@code live} rejects,
     * they are replaced by their own live neighbours, and the union with the node's live neighbours is robust-pruned
     * back to at most R, so that searches no longer pass through deleted nodes to reach what lies behind them. Returns
     * whether the list changed. Call with no insert linking at the same time (a back-edge could re-add a deleted
     * node); searches may run.
     *
     * @param limit ids below this may be followed
     */
    public boolean consolidate(Worker w, int node, NodeFilter live, int limit) {
        synchronized (lockOf(node)) {
            int[] list = w.list;
            int m = graph.neighbors(node, list, limit);
            boolean any = false;
            for (int i = 0; i < m && !any; i++) {
                any = !live.accepts(list[i]);
            }
            if (!any) {
                return false;
            }
            int[] ids = w.consolidation(maxDegree * (maxDegree + 1));
            int[] around = w.around;
            int count = 0;
            for (int i = 0; i < m; i++) {
                int v = list[i];
                if (live.accepts(v)) {
                    count = addOnce(ids, count, v, node);
                } else {
                    int a = graph.neighbors(v, around, limit);
                    for (int j = 0; j < a; j++) {
                        if (live.accepts(around[j])) {
                            count = addOnce(ids, count, around[j], node);
                        }
                    }
                }
            }
            if (count == 0) {
                return false; // every path out leads through deleted nodes only: keep them rather than none
            }
            float[] d = w.consolidationDistances;
            NodeScorer from = scorer.from(node);
            for (int i = 0; i < count; i++) {
                d[i] = from.distance(ids[i]);
            }
            sortByDistance(ids, d, count);
            float[] occlusion = count > w.occlusion.length ? new float[count] : w.occlusion;
            int chosen = prune(ids, d, count, w.repruned, maxDegree, occlusion);
            graph.setNeighbors(node, w.repruned, chosen);
            return true;
        }
    }

    /** Appends {@code v} to {@code ids[0..count)} unless it is there already or is {@code self}. */
    private static int addOnce(int[] ids, int count, int v, int self) {
        if (v == self) {
            return count;
        }
        for (int i = 0; i < count; i++) {
            if (ids[i] == v) {
                return count;
            }
        }
        ids[count] = v;
        return count + 1;
    }

    /**
     * RobustPrune as DiskANN implements it: from candidates sorted nearest first, pick a candidate unless an already
     * picked neighbour s occludes it — {@code d(p, c) / d(s, c) > a} — first with a = 1 (the strict, diverse set), then
     * with a raised by ×1.2 steps up to α to fill the remaining slots with longer edges. Each candidate's worst
     * occlusion ratio is kept, so every pair distance is computed at most once. With distances that can be negative
     * (negated dot) ratios mean nothing: there a candidate is occluded when some picked s is nearer to it than the node
     * is, and α is not used. Returns how many were picked into {@code out} (at most {@code maxKept}).
     */
    private int prune(int[] ids, float[] dists, int count, int[] out, int maxKept, float[] occlusion) {
        java.util.Arrays.fill(occlusion, 0, count, 0f);
        int kept = 0;
        float a = 1f;
        while (true) {
            for (int i = 0; i < count && kept < maxKept; i++) {
                if (occlusion[i] > a) {
                    continue;
                }
                occlusion[i] = Float.POSITIVE_INFINITY;
                out[kept++] = ids[i];
                for (int j = i + 1; j < count; j++) {
                    if (occlusion[j] > alpha) {
                        continue;
                    }
                    float dsj = scorer.distance(ids[i], ids[j]);
                    if (ratios) {
                        occlusion[j] = dsj <= 0f ? Float.POSITIVE_INFINITY : Math.max(occlusion[j], dists[j] / dsj);
                    } else if (dsj < dists[j]) {
                        occlusion[j] = Float.POSITIVE_INFINITY;
                    }
                }
            }
            if (a >= alpha || kept >= maxKept) {
                return kept;
            }
            a = Math.min(a * 1.2f, alpha);
        }
    }

    /** Insertion sort: lists are at most R + 1 long and nearly sorted. */
    private static void sortByDistance(int[] ids, float[] d, int n) {
        for (int i = 1; i < n; i++) {
            int id = ids[i];
            float di = d[i];
            int j = i - 1;
            while (j >= 0 && (d[j] > di || (d[j] == di && ids[j] > id))) {
                ids[j + 1] = ids[j];
                d[j + 1] = d[j];
                j--;
            }
            ids[j + 1] = id;
            d[j + 1] = di;
        }
    }

    private Object lockOf(int node) {
        return locks[node & (LOCK_STRIPES - 1)];
    }

    public int beamWidth() {
        return beamWidth;
    }
}
