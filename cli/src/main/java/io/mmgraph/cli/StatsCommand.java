package io.mmgraph.cli;

import io.mmgraph.index.GraphStats;
import io.mmgraph.index.IndexStats;
import io.mmgraph.index.MMapGraph;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "stats", mixinStandardHelpOptions = true,
        description = {"Print an index's figures.", "Opens by headers only; the graph figures scan the neighbour lists."})
final class StatsCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "Index directory.")
    Path dir;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Option(names = "--reachability", description = {"Also count the nodes no search can reach from the entry point",
            "(a walk over every neighbour list); `mmgraph relink` links them again."})
    boolean reachability;

    @Option(names = "--evict", description = {"Time cold opens: drop the index's files from the OS page cache",
            "(posix_fadvise DONTNEED; Linux) before opening, and again before a second open (coldReopenMillis:",
            "the first open in a JVM also pays for class loading and native linking)."})
    boolean evict;

    @Override
    public Integer call() throws Exception {
        Double coldReopenMs = null;
        if (evict) {
            MMapGraph.evictFromPageCache(dir);
        }
        long t0 = System.nanoTime();
        try (MMapGraph index = MMapGraph.openReadOnly(dir)) {
            double openMs = (System.nanoTime() - t0) / 1e6;
            if (evict) {
                MMapGraph.evictFromPageCache(dir);
                coldReopenMs = timeOpen(dir);
            }
            IndexStats s = index.stats();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("count", s.committedCount());
            m.put("deleted", s.committedDeletes());
            m.put("dimension", s.dimension());
            m.put("metric", s.metric());
            m.put("maxDegree", s.maxDegree());
            m.put("sequence", s.sequence());
            m.put("cleanShutdown", s.cleanShutdown());
            m.put("totalBytes", s.totalBytes());
            m.put("files", new LinkedHashMap<>(s.fileBytes()));
            m.put("mappedExtents", s.mappedExtents());
            m.put("kernels", s.kernels());
            m.put("indexedFields", index.indexedFields());
            GraphStats g = index.graphStats();
            m.put("entryPoint", g.entryPoint());
            m.put("averageDegree", g.averageDegree());
            m.put("maxDegreeFound", g.maxDegree());
            m.put("isolatedNodes", g.isolated());
            if (reachability) {
                m.put("unreachableNodes", index.unreachable().length);
            }
            m.put("openMillis", openMs);
            if (coldReopenMs != null) {
                m.put("coldReopenMillis", coldReopenMs);
            }
            if (json) {
                System.out.println(Json.object(m));
            } else {
                m.forEach((k, v) -> {
                    if (v instanceof Map<?, ?> files) {
                        files.forEach((f, b) -> System.out.printf("  %-22s %,d bytes%n", f, (Long) b));
                    } else {
                        System.out.printf("%-16s %s%n", k, v);
                    }
                });
            }
        }
        return 0;
    }

    private static double timeOpen(Path dir) throws IOException {
        long t = System.nanoTime();
        MMapGraph.openReadOnly(dir).close();
        return (System.nanoTime() - t) / 1e6;
    }
}
