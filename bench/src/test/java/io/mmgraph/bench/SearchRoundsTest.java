package io.mmgraph.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SearchRoundsTest {
    private static ResultRow row(String engine, int param, double recall, double qps, long heap) {
        return new ResultRow(engine, "ef", param, 10, recall, qps, 2 * qps, 2, 1e6 / qps, 2e6 / qps, 100, 10, 1000, qps / 100,
                heap, heap, 7, 7, "x", 1000, 8, 10);
    }

    @Test
    void eachPointTakesTheMedianOfItsRoundsAndKeepsTheFirstRecall() {
        List<List<ResultRow>> rounds = List.of(
                List.of(row("a", 10, 0.9, 1000, 5), row("a", 20, 0.95, 500, 5), row("b", 10, 0.8, 3000, 1)),
                List.of(row("a", 10, 0.9, 4000, 9), row("a", 20, 0.95, 700, 5), row("b", 10, 0.8, 100, 1)),
                List.of(row("a", 10, 0.9, 2000, 6), row("a", 20, 0.95, 600, 5)));
        List<ResultRow> m = SearchRounds.median(rounds);
        assertEquals(List.of("a/10", "a/20", "b/10"), m.stream().map(r -> r.engine() + "/" + r.param()).toList());
        ResultRow a10 = m.getFirst();
        assertEquals(2000, a10.qps(), 1e-9, "median of 1000, 4000, 2000");
        assertEquals(4000, a10.qpsThreads(), 1e-9);
        assertEquals(500, a10.p50Micros(), 1e-9, "median latency, not the latency of the median QPS's round by chance");
        assertEquals(9, a10.heapPeakBytes(), "the largest peak");
        assertEquals(0.9, a10.recall(), 1e-12);
        assertEquals(600, m.get(1).qps(), 1e-9);
        assertEquals(1550, m.get(2).qps(), 1e-9, "two rounds: the mean of the middle pair");
    }
}
