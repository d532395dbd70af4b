package io.mmgraph.index;

import io.mmgraph.ChildJvm;
import io.mmgraph.TestSeeds;
import io.mmgraph.TestVectors;
import io.mmgraph.format.FormatConstants;
import io.mmgraph.format.ManifestFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Deletions: searches of every kind skip deleted vectors at once in the writer, and in readers after the commit and
 * a refresh; deletions are durable exactly when their commit is; recall over the live vectors holds after a third
 * are deleted (docs/design.md, "Deletes").
 */
class DeleteTest {
    private static final int DIM = 24;

    @TempDir
    Path tmp;

    private static IndexOptions options(boolean codes) {
        IndexOptions o = IndexOptions.dimension(DIM).withExtentSlots(256);
        return codes ? o.withCodeBytes(8).withCodeTrainSize(500) : o;
    }

    /** The exact k nearest live vectors (brute force over {@code vectors}, skipping {@code deleted}). */
    private static List<Integer> exactLive(List<float[]> vectors, BitSet deleted, float[] q, int k) {
        List<Integer> live = new ArrayList<>();
        for (int i = 0; i < vectors.size(); i++) {
            if (!deleted.get(i)) {
                live.add(i);
            }
        }
        live.sort((a, b) -> Float.compare(l2(vectors.get(a), q), l2(vectors.get(b), q)));
        return live.subList(0, Math.min(k, live.size()));
    }

    private static float l2(float[] a, float[] b) {
        float s = 0;
        for (int i = 0; i < a.length; i++) {
            float d = a[i] - b[i];
            s += d * d;
        }
        return s;
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void afterDeletingAThirdNoSearchReturnsADeletedVectorAndRecallOverTheRestHolds(boolean codes) throws IOException {
        Random r = TestSeeds.random("DeleteTest.third." + codes);
        long seed = r.nextLong();
        int n = 3000;
        List<float[]> vectors = new ArrayList<>();
        BitSet deleted = new BitSet();
        try (MMapGraph g = MMapGraph.create(tmp.resolve("idx"), options(codes))) {
            for (int i = 0; i < n; i++) {
                vectors.add(TestVectors.vector(seed, i, DIM));
            }
            g.addAll(vectors, 2);
            while (deleted.cardinality() < n * 3 / 10) {
                int ord = r.nextInt(n);
                assertEquals(!deleted.get(ord), g.delete(ord), "delete " + ord + " reports whether it deleted");
                deleted.set(ord);
            }
            assertFalse(g.delete(deleted.nextSetBit(0)), "a second deletion of one vector changes nothing");
            assertEquals(deleted.cardinality(), g.deletedCount());
            int[] ordinals = new int[10];
            double hits = 0;
            int queries = 100;
            for (int q = 0; q < queries; q++) {
                // Half the queries sit on deleted vectors: the nearest node of the graph is one the search must skip.
                float[] query = q % 2 == 0 ? vectors.get(deleted.nextSetBit(r.nextInt(n / 2)))
                        : TestVectors.vector(seed + 1, q, DIM);
                List<Integer> truth = exactLive(vectors, deleted, query, 10);
                // ef 40: L R = 1,280 < p^2 n = 1,470, so the plan walks the graph (at ef 80 it would scan).
                SearchResult walked = g.search(query, SearchOptions.k(10).withEf(40));
                assertTrue(walked.distanceComputations() < n - deleted.cardinality(), "walked, not scanned: "
                        + walked.distanceComputations());
                List<Neighbor> graph = walked.neighbors();
                List<Neighbor> exact = g.search(query, SearchOptions.k(10).exactSearch()).neighbors();
                int found = g.search(query, 10, 40, ordinals, null);
                assertEquals(10, graph.size());
                assertEquals(10, found);
                for (int i = 0; i < 10; i++) {
                    assertFalse(deleted.get(graph.get(i).ordinal()), "graph search returned deleted " + graph.get(i));
                    assertFalse(deleted.get(ordinals[i]), "array search returned deleted " + ordinals[i]);
                    assertEquals(truth.get(i), exact.get(i).ordinal(), "exact search over the live vectors");
                    if (truth.contains(graph.get(i).ordinal())) {
                        hits++;
                    }
                }
            }
            double recall = hits / (queries * 10.0);
            assertTrue(recall >= 0.95, "recall@10 over the live vectors after deleting 30%: " + recall);
        }
    }

    @Test
    void consolidationTakesDeletedNodesOutOfLiveListsAndKeepsRecall() throws IOException {
        Random r = TestSeeds.random("DeleteTest.consolidate");
        long seed = r.nextLong();
        int n = 4000;
        List<float[]> vectors = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            vectors.add(TestVectors.vector(seed, i, DIM));
        }
        BitSet deleted = new BitSet();
        Path dir = tmp.resolve("idx");
        float[][] queries = new float[100][];
        for (int q = 0; q < queries.length; q++) {
            queries[q] = TestVectors.vector(seed + 1, q, DIM);
        }
        double[] before;
        double[] after;
        try (MMapGraph g = MMapGraph.create(dir, options(false))) {
            g.addAll(vectors, 2);
            int entry = g.graphStats().entryPoint();
            g.delete(entry); // the entry point too
            deleted.set(entry);
            while (deleted.cardinality() < n * 3 / 10) {
                int ord = r.nextInt(n);
                g.delete(ord);
                deleted.set(ord);
            }
            before = recallAndCost(g, vectors, deleted, queries);
            int rewritten = g.consolidate();
            after = recallAndCost(g, vectors, deleted, queries);
            int[] list = new int[g.maxDegree()];
            for (int node = 0; node < n; node++) {
                int m = g.graph().neighbors(node, list, n);
                boolean namesDeleted = false;
                for (int i = 0; i < m; i++) {
                    namesDeleted |= deleted.get(list[i]);
                }
                if (!deleted.get(node)) {
                    assertFalse(namesDeleted, "live node " + node + " still lists a deleted node");
                    assertTrue(m > 0, "live node " + node + " kept neighbours");
                }
            }
            assertTrue(rewritten > n / 2, "most live lists named a deleted node: " + rewritten);
            assertEquals(deleted.cardinality(), ManifestFile.read(FormatConstants.manifestPath(dir)).newest()
                    .deleteCount(), "consolidation committed the deletions it acted on (a crash must not undo them)");
            assertFalse(deleted.get(g.graphStats().entryPoint()), "the entry point moved to a live node");
            assertEquals(0, g.consolidate(), "nothing left to consolidate");
        }
        System.out.printf("30%% deleted, ef 40: recall %.3f -> %.3f, distances/query %.0f -> %.0f%n", before[0],
                after[0], before[1], after[1]);
        assertTrue(after[0] >= 0.95, "recall@10 after consolidation: " + after[0]);
        assertTrue(after[1] < before[1], "the walk no longer passes through deleted nodes: " + before[1] + " -> "
                + after[1]);
        try (MMapGraph g = MMapGraph.openReadOnly(dir)) {
            assertTrue(g.verify().ok(), g.verify().problems().toString());
            assertEquals(after[0], recallAndCost(g, vectors, deleted, queries)[0], 1e-9, "the commit kept it all");
        }
    }

    /** Recall@10 over the live vectors at ef 40, and the distances computed per query. */
    private static double[] recallAndCost(MMapGraph g, List<float[]> vectors, BitSet deleted, float[][] queries)
            throws IOException {
        double hits = 0;
        double distances = 0;
        for (float[] q : queries) {
            List<Integer> truth = exactLive(vectors, deleted, q, 10);
            SearchResult result = g.search(q, SearchOptions.k(10).withEf(40));
            distances += result.distanceComputations();
            for (Neighbor nb : result.neighbors()) {
                if (truth.contains(nb.ordinal())) {
                    hits++;
                }
            }
        }
        return new double[] {hits / (queries.length * 10.0), distances / queries.length};
    }

    @Test
    void deletionsCommitWithTheNextSyncAndReadersSeeThemAfterARefresh() throws IOException {
        Path dir = tmp.resolve("idx");
        long seed = 11;
        try (MMapGraph w = MMapGraph.create(dir, options(false))) {
            for (int i = 0; i < 500; i++) {
                w.add(TestVectors.vector(seed, i, DIM));
            }
            w.sync();
            try (MMapGraph reader = MMapGraph.openReadOnly(dir)) {
                float[] q = TestVectors.vector(seed, 42, DIM);
                assertEquals(42, reader.search(q, 1).getFirst().ordinal());
                assertTrue(w.delete(42));
                assertTrue(w.isDeleted(42));
                assertTrue(w.search(q, 5).stream().noneMatch(x -> x.ordinal() == 42), "the writer skips it at once");
                assertEquals(1, w.stats().deletedCount());
                assertEquals(0, w.stats().committedDeletes());
                assertFalse(reader.refresh(), "nothing committed yet");
                assertEquals(42, reader.search(q, 1).getFirst().ordinal(), "an uncommitted deletion is the writer's");
                w.sync();
                assertEquals(1, ManifestFile.read(FormatConstants.manifestPath(dir)).newest().deleteCount());
                assertTrue(reader.refresh(), "a commit of deletions alone is a change");
                assertTrue(reader.isDeleted(42));
                assertEquals(1, reader.deletedCount());
                assertTrue(reader.search(q, 5).stream().noneMatch(x -> x.ordinal() == 42));
                assertTrue(reader.verify().ok(), reader.verify().problems().toString());
            }
        }
        try (MMapGraph g = MMapGraph.openReadOnly(dir)) {
            assertTrue(g.isDeleted(42), "close commits");
            assertEquals(1, g.deletedCount());
        }
    }

    @Test
    void aKilledWriterKeepsItsCommittedDeletionsAndLosesTheOthers() throws Exception {
        Path dir = tmp.resolve("idx");
        try (MMapGraph w = MMapGraph.create(dir, options(false))) {
            for (int i = 0; i < 400; i++) {
                w.add(TestVectors.vector(5, i, DIM));
            }
        }
        ChildJvm.Result child = ChildJvm.main(ChildMain.class).args("delete-then-halt", dir, 30, 20).run();
        assertEquals(0, child.exitCode(), child.describe());
        assertTrue(child.stdout().contains("deleted=50"), child.describe());
        try (MMapGraph w = MMapGraph.open(dir)) {
            assertTrue(w.recoveredFromUncleanShutdown());
            assertEquals(30, w.deletedCount());
            for (int i = 0; i < 60; i++) {
                assertEquals(i < 30, w.isDeleted(i), "vector " + i);
            }
            // The lost deletions' records are overwritten by new ones, which then commit.
            assertTrue(w.delete(35));
            w.sync();
            assertTrue(w.verify().ok(), w.verify().problems().toString());
        }
        try (MMapGraph g = MMapGraph.openReadOnly(dir)) {
            assertEquals(31, g.deletedCount());
            assertTrue(g.isDeleted(35) && !g.isDeleted(34));
        }
    }

    @Test
    void badDeletionsAreNamedErrors() throws IOException {
        Path dir = tmp.resolve("idx");
        try (MMapGraph w = MMapGraph.create(dir, options(false))) {
            w.add(TestVectors.vector(1, 0, DIM));
            assertThrows(IndexOutOfBoundsException.class, () -> w.delete(1));
            assertThrows(IndexOutOfBoundsException.class, () -> w.delete(-1));
            try (MMapGraph reader = MMapGraph.openReadOnly(dir)) {
                assertThrows(ReadOnlyIndexException.class, () -> reader.delete(0));
            }
            w.close();
            assertThrows(IndexClosedException.class, () -> w.delete(0));
        }
    }

    @Test
    void deletionsCountTowardsCountTriggeredCommits() throws IOException {
        Path dir = tmp.resolve("idx");
        try (MMapGraph w = MMapGraph.create(dir, options(false))) {
            for (int i = 0; i < 20; i++) {
                w.add(TestVectors.vector(2, i, DIM));
            }
            w.sync();
            w.setDurability(Durability.everyInserts(3));
            w.delete(1);
            w.delete(2);
            assertEquals(0, ManifestFile.read(FormatConstants.manifestPath(dir)).newest().deleteCount());
            w.delete(3);
            assertEquals(3, ManifestFile.read(FormatConstants.manifestPath(dir)).newest().deleteCount(),
                    "the third change commits");
        }
    }

    @Test
    void whenAlmostEverythingIsDeletedASearchScansTheFewLiveVectorsInsteadOfWalkingTheGraph() throws IOException {
        try (MMapGraph w = MMapGraph.create(tmp.resolve("idx"), options(false))) {
            List<float[]> vectors = new ArrayList<>();
            for (int i = 0; i < 3000; i++) {
                vectors.add(TestVectors.vector(4, i, DIM));
            }
            w.addAll(vectors, 2);
            BitSet deleted = new BitSet();
            for (int i = 0; i < 3000; i++) {
                if (i % 100 != 7) {
                    w.delete(i);
                    deleted.set(i);
                }
            }
            float[] q = TestVectors.vector(9, 1, DIM);
            SearchResult r = w.search(q, SearchOptions.k(10));
            assertEquals(30, r.distanceComputations(), "30 live vectors: scanned, not walked");
            List<Integer> truth = exactLive(vectors, deleted, q, 10);
            assertEquals(truth, r.neighbors().stream().map(Neighbor::ordinal).toList());
        }
    }

    @Test
    void aSearchOfAnIndexWhoseEveryVectorIsDeletedFindsNothing() throws IOException {
        try (MMapGraph w = MMapGraph.create(tmp.resolve("idx"), options(false))) {
            for (int i = 0; i < 50; i++) {
                w.add(TestVectors.vector(3, i, DIM));
            }
            for (int i = 0; i < 50; i++) {
                w.delete(i);
            }
            float[] q = TestVectors.vector(3, 7, DIM);
            assertTrue(w.search(q, 10).isEmpty());
            assertTrue(w.search(q, SearchOptions.k(10).exactSearch()).neighbors().isEmpty());
            assertEquals(0, w.search(q, 10, 10, new int[10], null));
        }
    }
}
