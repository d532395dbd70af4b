package io.mmgraph.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.ToDoubleFunction;

/**
 * The headline of a run: each engine's best QPS at recall ≥ a target, and its ratio to mmgraph's, as a text table.
 */
public final class Summary {
    private Summary() {
    }

    /** Best value of {@code qps} among {@code engine}'s rows whose recall reaches {@code minRecall}. */
    public static OptionalDouble bestQps(List<ResultRow> rows, String engine, double minRecall,
                                         ToDoubleFunction<ResultRow> qps) {
        return rows.stream().filter(r -> r.engine().equals(engine) && r.recall() >= minRecall).mapToDouble(qps).max();
    }

    /** The effort of the row giving {@link #bestQps}, or -1. */
    static int bestParam(List<ResultRow> rows, String engine, double minRecall, ToDoubleFunction<ResultRow> qps) {
        ResultRow best = null;
        for (ResultRow r : rows) {
            if (r.engine().equals(engine) && r.recall() >= minRecall
                    && (best == null || qps.applyAsDouble(r) > qps.applyAsDouble(best))) {
                best = r;
            }
        }
        return best == null ? -1 : best.param();
    }

    public static String table(List<ResultRow> rows, double... targets) {
        Map<String, ResultRow> engines = new LinkedHashMap<>();
        rows.forEach(r -> engines.putIfAbsent(r.engine(), r));
        List<String> lines = new ArrayList<>();
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-14s %9s %12s %9s", "engine", "build s",
                "index MB", "open ms"));
        for (double t : targets) {
            head.append(String.format(Locale.ROOT, " | %-26s", "QPS@recall>=" + t + " (ratio)"));
        }
        lines.add(head.toString());
        for (ResultRow first : engines.values()) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-14s %9.1f %12.1f %9.1f",
                    first.engine(), first.buildSeconds(), first.indexBytes() / 1e6, first.openMillis()));
            for (double t : targets) {
                OptionalDouble q = bestQps(rows, first.engine(), t, ResultRow::qps);
                OptionalDouble ref = bestQps(rows, "mmgraph", t, ResultRow::qps);
                String cell = q.isEmpty() ? "not reached" : String.format(Locale.ROOT, "%,.0f @%s=%d%s", q.getAsDouble(),
                        first.effortName(), bestParam(rows, first.engine(), t, ResultRow::qps),
                        ref.isPresent() ? String.format(Locale.ROOT, " (%.2fx)", q.getAsDouble() / ref.getAsDouble()) : "");
                line.append(String.format(Locale.ROOT, " | %-26s", cell));
            }
            lines.add(line.toString());
        }
        return String.join(System.lineSeparator(), lines);
    }
}
