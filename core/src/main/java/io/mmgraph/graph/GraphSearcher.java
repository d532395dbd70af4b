package io.mmgraph.graph;

/**
 * Beam search over a proximity graph — DiskANN's GreedySearch with list size L (HNSW's ef): keep the L nearest
 * nodes found so far, repeatedly expand the nearest unexpanded one, stop when the nearest unexpanded node is farther
 * than the L-th nearest found.
 *
 * <p>Reusable and allocation-free per search once warm; not thread-safe: one per thread (its visited set, heaps and
 * result arrays are its own).
 */
public final class GraphSearcher {
    /** Touch every fresh neighbour's vector before scoring any (docs/benchmarks.md); {@code -Dmmgraph.prefetch=false} turns it off. */
    static final boolean PREFETCH = !"false".equals(System.getProperty("mmgraph.prefetch"));
    private final NeighborView graph;
    private final VisitedSet visited = new VisitedSet(4096);
    private final NodeHeap candidates = new NodeHeap(512, false);
    private final NodeHeap results = new NodeHeap(512, true);
    private final int[] neighbors;
    private final int[] single = new int[1];
    private int[] resultNodes = new int[128];
    private float[] resultDistances = new float[128];
    private int resultCount;
    private int distanceCount;

    public GraphSearcher(NeighborView graph) {
        this.graph = graph;
        this.neighbors = new int[graph.maxDegree()];
    }

    /**
     * Searches from {@code entry} for the {@code beamWidth} nearest nodes to what {@code scorer} measures from,
     * following only ids below {@code limit} (nodes this search may see; {@code entry < limit}).
     *
     * @return how many nodes were found (≤ beamWidth), available nearest first from {@link #resultNodes()} and
     *         {@link #resultDistances()}
     */
    public int search(NodeScorer scorer, int entry, int beamWidth, int limit) {
        single[0] = entry;
        return search(scorer, single, 1, beamWidth, limit);
    }

    /**
     * As {@link #search(NodeScorer, int, int, int)}, starting from several entries at once (the first
     * {@code entryCount} of {@code entries}, each below {@code limit}; duplicates are ignored).
     */
    public int search(NodeScorer scorer, int[] entries, int entryCount, int beamWidth, int limit) {
        return search(scorer, entries, entryCount, beamWidth, limit, null);
    }

    /**
     * As {@link #search(NodeScorer, int[], int, int, int)}, returning only nodes {@code filter} accepts (all when it is
     * null). Rejected nodes are walked through like the others; the beam holds the {@code beamWidth} nearest accepted
     * nodes, and the walk goes on while a candidate is nearer than the farthest of them, so a filter that rejects many
     * nodes makes the walk longer (hnswlib's filtered search; a filter that accepts very few wants an exact scan of
     * those few instead).
     */
    public int search(NodeScorer scorer, int[] entries, int entryCount, int beamWidth, int limit, NodeFilter filter) {
        visited.clear();
        candidates.clear();
        results.clear();
        distanceCount = 0;
        for (int e = 0; e < entryCount; e++) {
            int entry = entries[e];
            if (!visited.add(entry)) {
                continue;
            }
            long start = NodeHeap.pack(scorer.distance(entry), entry);
            distanceCount++;
            candidates.pushPacked(start);
            if (filter == null || filter.accepts(entry)) {
                results.pushPacked(start);
                if (results.size() > beamWidth) {
                    results.pop();
                }
            }
        }
        while (candidates.size() > 0) {
            long nearest = candidates.pop();
            if (results.size() >= beamWidth && nearest > results.peek()) {
                break;
            }
            int n = graph.neighbors(NodeHeap.node(nearest), neighbors, limit);
            int fresh = 0;
            for (int i = 0; i < n; i++) {
                if (visited.add(neighbors[i])) {
                    neighbors[fresh++] = neighbors[i];
                }
            }
            if (PREFETCH) {
                for (int i = 0; i < fresh; i++) {
                    scorer.prefetch(neighbors[i]);
                }
            }
            for (int i = 0; i < fresh; i++) {
                int node = neighbors[i];
                long found = NodeHeap.pack(scorer.distance(node), node);
                distanceCount++;
                if (results.size() < beamWidth || found < results.peek()) {
                    candidates.pushPacked(found);
                    if (filter == null || filter.accepts(node)) {
                        results.pushPacked(found);
                        if (results.size() > beamWidth) {
                            results.pop();
                        }
                    }
                }
            }
        }
        drainResults();
        return resultCount;
    }

    private void drainResults() {
        int count = results.size();
        if (resultNodes.length < count) {
            resultNodes = new int[count];
            resultDistances = new float[count];
        }
        for (int i = count - 1; i >= 0; i--) {
            long p = results.pop();
            resultNodes[i] = NodeHeap.node(p);
            resultDistances[i] = NodeHeap.distance(p);
        }
        resultCount = count;
    }

    /** Nodes found by the last search, nearest first; valid up to {@link #resultCount()}. */
    public int[] resultNodes() {
        return resultNodes;
    }

    public float[] resultDistances() {
        return resultDistances;
    }

    public int resultCount() {
        return resultCount;
    }

    /** Distances the last search computed: its cost, and what "visits fewer than 5% of N" measures. */
    public int distanceComputations() {
        return distanceCount;
    }
}
