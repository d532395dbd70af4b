package io.mmgraph.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Folds the rows of several search rounds into one row per (variant, effort): QPS, latencies and open time are the
 * median over the rounds that measured the point; recall and visits are the same in every round (the search is
 * deterministic) and are taken from the first; memory peaks are the largest.
 */
final class SearchRounds {
    private SearchRounds() {
    }

    static List<ResultRow> median(List<List<ResultRow>> rounds) {
        Map<String, List<ResultRow>> byPoint = new LinkedHashMap<>();
        for (List<ResultRow> round : rounds) {
            for (ResultRow r : round) {
                byPoint.computeIfAbsent(r.engine() + "\u0000" + r.param(), key -> new ArrayList<>()).add(r);
            }
        }
        List<ResultRow> out = new ArrayList<>();
        for (List<ResultRow> point : byPoint.values()) {
            ResultRow f = point.getFirst();
            out.add(new ResultRow(f.engine(), f.effortName(), f.param(), f.k(), f.recall(),
                    median(point, ResultRow::qps), median(point, ResultRow::qpsThreads), f.threads(),
                    median(point, ResultRow::p50Micros), median(point, ResultRow::p99Micros), f.visitedPerQuery(),
                    f.buildSeconds(), f.indexBytes(), median(point, ResultRow::openMillis),
                    point.stream().mapToLong(ResultRow::heapPeakBytes).max().orElse(0),
                    point.stream().mapToLong(ResultRow::rssPeakBytes).max().orElse(0), f.buildHeapPeakBytes(),
                    f.buildRssPeakBytes(), f.simd(), f.n(), f.dimension(), f.queries()));
        }
        return out;
    }

    private static double median(List<ResultRow> rows, ToDoubleFunction<ResultRow> field) {
        return EngineRun.median(rows.stream().mapToDouble(field).toArray());
    }
}
