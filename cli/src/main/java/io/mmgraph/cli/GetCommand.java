package io.mmgraph.cli;

import io.mmgraph.index.Document;
import io.mmgraph.index.MMapGraph;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "get", mixinStandardHelpOptions = true,
        description = {"Print the stored vectors that ids name: id, ordinal and payload (and the vector with --vector).",
                "Opens the newest commit read-only. An id that names nothing (never stored, or deleted) is reported",
                "on stderr and makes the exit code 1; the others are still printed."})
final class GetCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "Index directory.")
    Path dir;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "ID", description = "Ids (with --ordinal: ordinals) to print.")
    List<String> keys;

    @Option(names = "--ordinal", description = "Take the arguments as ordinals rather than ids.")
    boolean byOrdinal;

    @Option(names = "--vector", description = "Print the vector too.")
    boolean withVector;

    @Option(names = "--json", description = "Print one JSON object per line.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        int missing = 0;
        try (MMapGraph index = MMapGraph.openReadOnly(dir)) {
            for (String key : keys) {
                int ordinal = find(index, key);
                if (ordinal < 0) {
                    System.err.println("mmgraph get: " + (byOrdinal ? "ordinal " : "id ") + key + " names no live vector");
                    missing++;
                    continue;
                }
                var node = Documents.node(index, ordinal, withVector);
                if (json) {
                    System.out.println(Documents.JSON.writeValueAsString(node));
                } else {
                    System.out.println("id " + (node.get("id").isNull() ? "-" : node.get("id").asText()) + "  ordinal " + ordinal + "  payload "
                            + node.get("payload") + (withVector ? "\n  vector " + node.get("vector") : ""));
                }
            }
        }
        return missing == 0 ? 0 : 1;
    }

    private int find(MMapGraph index, String key) throws java.io.IOException {
        if (!byOrdinal) {
            Optional<Document> d = index.get(key);
            return d.map(Document::ordinal).orElse(-1);
        }
        int ordinal;
        try {
            ordinal = Integer.parseInt(key);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an ordinal: " + key);
        }
        return ordinal >= 0 && ordinal < index.size() && !index.isDeleted(ordinal) ? ordinal : -1;
    }
}
