package io.mmgraph.cli;

import io.mmgraph.index.MMapGraph;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "relink", mixinStandardHelpOptions = true,
        description = {"Link again every node no search can reach from the entry point (incremental insertion can prune",
                "away all of a node's in-edges), as an insert would link it, then commit. Walks every neighbour list",
                "first (an int per node of heap); prints how many nodes it linked and how many stay unreachable."})
final class RelinkCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "Index directory.")
    Path dir;

    @Option(names = "--threads", paramLabel = "T", description = "Linking threads (default: all cores).")
    Integer threads;

    @Override
    public Integer call() throws Exception {
        long t0 = System.nanoTime();
        try (MMapGraph index = MMapGraph.open(dir)) {
            int linked = index.linkUnreachable(threads == null ? Runtime.getRuntime().availableProcessors() : threads);
            index.sync();
            int left = index.unreachable().length;
            System.out.printf(Locale.ROOT, "linked %,d unreachable nodes of %,d in %.1f s; %,d unreachable now; committed%n",
                    linked, index.size(), (System.nanoTime() - t0) / 1e9, left);
        }
        return 0;
    }
}
