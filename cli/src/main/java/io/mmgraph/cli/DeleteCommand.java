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
        description = {"Delete vectors by ordinal (or by id, with --id), and commit.",
                "Searches skip a deleted vector from then on (readers after their next refresh). Its record stays",
                "in the files, and the graph still walks through it, until compaction reclaims it. Deleting an",
                "ordinal that is already deleted (or an id that names nothing) changes nothing; an ordinal outside the",
                "index is an error and deletes nothing."})
final class DeleteCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "Index directory.")
    Path dir;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "ORDINAL", description = "Ordinals (with --id: ids) to delete.")
    List<String> targets;

    @Option(names = "--id", description = "Take the arguments as ids rather than ordinals.")
    boolean byId;

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
            List<Integer> ordinals = new java.util.ArrayList<>();
            for (String t : byId ? List.<String>of() : targets) {
                int ord;
                try {
                    ord = Integer.parseInt(t);
                } catch (NumberFormatException e) {
                    System.err.println("mmgraph delete: " + t + " is not an ordinal (give --id to delete by id); "
                            + "nothing deleted");
                    return 1;
                }
                if (ord < 0 || ord >= size) {
                    System.err.println("mmgraph delete: ordinal " + ord + " is outside the index's " + size
                            + " vectors; nothing deleted");
                    return 1;
                }
                ordinals.add(ord);
            }
            int deleted = 0;
            for (int ord : ordinals) {
                if (index.delete(ord)) {
                    deleted++;
                }
            }
            for (String id : byId ? targets : List.<String>of()) {
                if (index.delete(id)) {
                    deleted++;
                }
            }
            int rewritten = consolidate ? index.consolidate() : 0;
            index.sync();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("deleted", deleted);
            m.put("alreadyDeleted", targets.size() - deleted);
            m.put("deletedInIndex", index.deletedCount());
            m.put("size", size);
            if (consolidate) {
                m.put("listsRewritten", rewritten);
            }
            if (json) {
                System.out.println(Json.object(m));
            } else {
                System.out.printf(Locale.ROOT, "deleted %,d vectors (%,d already were); the index holds %,d, %,d of "
                        + "them deleted; committed%n", deleted, targets.size() - deleted, size, index.deletedCount());
                if (consolidate) {
                    System.out.printf(Locale.ROOT, "consolidated: %,d neighbour lists rewritten%n", rewritten);
                }
            }
        }
        return 0;
    }
}
