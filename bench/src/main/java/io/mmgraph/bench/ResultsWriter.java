package io.mmgraph.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code results.json} (a list of {@link ResultRow}s) and its CSV twin {@code results.csv}. */
public final class ResultsWriter {
    public static final String JSON_FILE = "results.json";
    public static final String CSV_FILE = "results.csv";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ResultsWriter() {
    }

    public static void write(Path out, List<ResultRow> rows) throws IOException {
        JSON.writeValue(out.resolve(JSON_FILE).toFile(), rows);
        List<String> lines = new ArrayList<>();
        lines.add(ResultRow.csvHeader());
        rows.forEach(r -> lines.add(r.csv()));
        Files.write(out.resolve(CSV_FILE), lines);
    }

    public static List<ResultRow> read(Path out) throws IOException {
        return List.of(JSON.readValue(out.resolve(JSON_FILE).toFile(), ResultRow[].class));
    }
}
