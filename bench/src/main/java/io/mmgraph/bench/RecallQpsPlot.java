package io.mmgraph.bench;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** Recall on x, QPS on a log y axis, one line per engine: the ann-benchmarks picture. */
public final class RecallQpsPlot {
    public static final String SINGLE_THREAD_PNG = "recall-qps.png";
    public static final String ALL_THREADS_PNG = "recall-qps-threads.png";

    /** Distinct colours (Okabe-Ito, readable with colour blindness); XChart's default palette repeats a yellow. */
    private static final java.awt.Color[] PALETTE = {
            new java.awt.Color(0x0072B2), new java.awt.Color(0xD55E00), new java.awt.Color(0x009E73),
            new java.awt.Color(0xCC79A7), new java.awt.Color(0xE69F00), new java.awt.Color(0x56B4E9),
            new java.awt.Color(0x000000), new java.awt.Color(0xF0E442)};

    private RecallQpsPlot() {
    }

    static void write(Path out, List<ResultRow> rows, BenchDataSets.Prepared data, BenchOptions o) throws IOException {
        System.setProperty("java.awt.headless", "true");
        String what = String.format(Locale.ROOT, "%,d x %d %s, k=%d", data.n(), data.dimension(),
                data.metric().name().toLowerCase(Locale.ROOT), o.k());
        save(out.resolve(SINGLE_THREAD_PNG), rows, ResultRow::qps, "Recall@" + o.k() + " vs QPS, 1 thread (" + what + ")",
                "QPS, 1 thread (log)");
        save(out.resolve(ALL_THREADS_PNG), rows, ResultRow::qpsThreads,
                "Recall@" + o.k() + " vs QPS, " + o.threads() + " threads (" + what + ")",
                "QPS, " + o.threads() + " threads (log)");
    }

    static void save(Path file, List<ResultRow> rows, ToDoubleFunction<ResultRow> qps, String title, String yTitle)
            throws IOException {
        XYChart chart = new XYChartBuilder().width(1000).height(700).title(title)
                .xAxisTitle("Recall").yAxisTitle(yTitle).build();
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSW);
        chart.getStyler().setMarkerSize(6);
        chart.getStyler().setSeriesColors(PALETTE);
        Map<String, List<ResultRow>> byEngine = new LinkedHashMap<>();
        for (ResultRow r : rows) {
            byEngine.computeIfAbsent(r.engine(), e -> new java.util.ArrayList<>()).add(r);
        }
        for (Map.Entry<String, List<ResultRow>> e : byEngine.entrySet()) {
            List<ResultRow> points = e.getValue().stream().filter(r -> qps.applyAsDouble(r) > 0)
                    .sorted(Comparator.comparingDouble(ResultRow::recall)).toList();
            if (points.isEmpty()) {
                continue;
            }
            double[] x = points.stream().mapToDouble(ResultRow::recall).toArray();
            double[] y = points.stream().mapToDouble(qps).toArray();
            XYSeries s = chart.addSeries(e.getKey(), x, y);
            s.setMarker(SeriesMarkers.CIRCLE);
        }
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
