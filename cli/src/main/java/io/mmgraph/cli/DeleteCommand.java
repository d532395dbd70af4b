package io.mmgraph.cli;

import io.mmgraph.index.MMapGraph;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "delete", mixinStandardHelpOptions = true,
        description = {"Delete vectors by ordinal, and commit.",
                "Searches skip a deleted vector from then on (readers after their next refresh). Its record stays",
                "in the files, and the graph still walks through it, until compaction reclaims it. Deleting an",
                "ordinal that is already deleted changes nothing; an ordinal outside the index is an error and",
                "deletes nothing."})
final class DeleteCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "Index directory.")
    Path dir;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "ORDINAL", description = "Ordinals to delete.")
    List<Integer> ordinals;

    @Option(names = "--consolidate", description = "Then take every deleted vector out of the live vectors' neighbour "
            + "lists (FreshDiskANN's consolidation; reads the lists of the whole index), so that searches stop "
            + "walking through deleted vectors.")
    boolean consolidate;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        try (MMapGraph index = MMapGraph.open(dir)) {
            int size = index.size();
            for (int ord : ordinals) {
                if (ord < 0 || ord >= size) {
                    System.err.println("mmgraph delete: ordinal " + ord + " is outside the index's " + size
                            + " vectors; nothing deleted");
                    return 1;
                }
            }
            int deleted = 0;
            for (int ord : ordinals) {
                if (index.delete(ord)) {
                    deleted++;
                }
            }
            int rewritten = consolidate ? index.consolidate() : 0;
            index.sync();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("deleted", deleted);
            m.put("alreadyDeleted", ordinals.size() - deleted);
            m.put("deletedInIndex", index.deletedCount());
            m.put("size", size);
            if (consolidate) {
                m.put("listsRewritten", rewritten);
            }
            if (json) {
                System.out.println(Json.object(m));
            } else {
                System.out.printf(Locale.ROOT, "deleted %,d vectors (%,d already were); the index holds %,d, %,d of "
                        + "them deleted; committed%n", deleted, ordinals.size() - deleted, size, index.deletedCount());
                if (consolidate) {
                    System.out.printf(Locale.ROOT, "consolidated: %,d neighbour lists rewritten%n", rewritten);
                }
            }
        }
        return 0;
    }
}
