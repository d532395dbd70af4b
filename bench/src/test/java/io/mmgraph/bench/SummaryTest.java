package io.mmgraph.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SummaryTest {
    private static ResultRow row(String engine, int param, double recall, double qps) {
        return new ResultRow(engine, "ef", param, 10, recall, qps, 2 * qps, 2, 100, 200, -1, 10, 1000, 1, 1, 1, 1, 1, "x",
                1000, 8, 10);
    }

    @Test
    void bestQpsIsTheFastestPointThatReachesTheRecall() {
        List<ResultRow> rows = List.of(row("mmgraph", 10, 0.90, 5000), row("mmgraph", 20, 0.96, 4000),
                row("mmgraph", 40, 0.99, 2000), row("lucene", 20, 0.94, 3000), row("lucene", 40, 0.97, 1000));
        assertEquals(4000, Summary.bestQps(rows, "mmgraph", 0.95, ResultRow::qps).getAsDouble());
        assertEquals(1000, Summary.bestQps(rows, "lucene", 0.95, ResultRow::qps).getAsDouble());
        assertTrue(Summary.bestQps(rows, "lucene", 0.99, ResultRow::qps).isEmpty());
        String table = Summary.table(rows, 0.95, 0.99);
        assertTrue(table.contains("1,000 @ef=40 (0.25x)"), table);
        assertTrue(table.contains("not reached"), table);
    }
}
