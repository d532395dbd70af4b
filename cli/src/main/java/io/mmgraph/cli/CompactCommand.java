package io.mmgraph.cli;

import io.mmgraph.index.MMapGraph;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "compact", mixinStandardHelpOptions = true,
        description = {"Reclaim the space of deleted vectors: consolidate the graph, then write the live vectors,",
                "numbered anew, with their ids, payloads, codes and neighbour lists, to a new generation of the",
                "index's files, and commit it. Ids stay; ordinals change. Readers that have the index open go on",
                "searching the old generation until they reopen. Needs free disk for the live part of the index;",
                "a crash leaves either generation whole."})
final class CompactCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "Index directory.")
    Path dir;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        MMapGraph.CompactionResult r;
        try (MMapGraph index = MMapGraph.open(dir)) {
            r = index.compact();
        }
        double secs = (System.nanoTime() - start) / 1e9;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("before", r.before());
        m.put("after", r.after());
        m.put("reclaimed", r.before() - r.after());
        m.put("generation", r.generation());
        m.put("seconds", secs);
        if (json) {
            System.out.println(Json.object(m));
        } else {
            System.out.printf(Locale.ROOT, "compacted %s: %,d vectors -> %,d (%,d deleted ones reclaimed), generation %d, "
                    + "%.2f s%n", dir, r.before(), r.after(), r.before() - r.after(), r.generation(), secs);
        }
        return 0;
    }
}
