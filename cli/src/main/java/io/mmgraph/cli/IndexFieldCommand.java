package io.mmgraph.cli;

import io.mmgraph.index.MMapGraph;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "index-field", mixinStandardHelpOptions = true,
        description = {"Index payload fields for filters: each FIELD (a path of keys joined by dots, e.g. meta.year) gets",
                "a column of 16 bytes per vector, built from the stored payloads and kept up to date by every insert,",
                "so that search --filter on it reads that entry instead of parsing each candidate's payload.",
                "Without FIELD, lists the indexed fields. Indexes are derived data: --drop loses nothing."},
        footer = {"", "Examples:", "  mmgraph index-field idx category meta.year", "  mmgraph index-field idx --drop category"})
final class IndexFieldCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "Index directory.")
    Path dir;

    @Parameters(index = "1..*", arity = "0..*", paramLabel = "FIELD", description = "Payload fields to index (or drop).")
    List<String> fields = new ArrayList<>();

    @Option(names = "--drop", description = "Drop the indexes of the fields instead.")
    boolean drop;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        List<String> changed = new ArrayList<>();
        List<String> indexed;
        if (fields.isEmpty()) {
            try (MMapGraph index = MMapGraph.openReadOnly(dir)) {
                indexed = index.indexedFields();
            }
        } else {
            try (MMapGraph index = MMapGraph.open(dir)) {
                for (String field : fields) {
                    if (drop ? index.dropFieldIndex(field) : index.indexField(field)) {
                        changed.add(field);
                    }
                }
                indexed = index.indexedFields();
            }
        }
        double secs = (System.nanoTime() - start) / 1e9;
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put(drop ? "dropped" : "added", changed);
            m.put("indexedFields", indexed);
            m.put("seconds", secs);
            System.out.println(Json.object(m));
        } else {
            if (!fields.isEmpty()) {
                System.out.printf(Locale.ROOT, "%s %d field index(es) in %.2f s%s%n", drop ? "dropped" : "built",
                        changed.size(), secs, changed.size() < fields.size()
                                ? " (" + (fields.size() - changed.size()) + (drop ? " were not indexed)" : " were indexed already)")
                                : "");
            }
            System.out.println(indexed.isEmpty() ? "no payload field is indexed" : "indexed fields: " + String.join(", ", indexed));
        }
        return 0;
    }
}
