package io.mmgraph.cli;

import io.mmgraph.index.IndexOptions;
import io.mmgraph.index.MMapGraph;
import io.mmgraph.vector.Metric;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "create", mixinStandardHelpOptions = true,
        description = "Create an empty index in DIR (created if absent).")
final class CreateCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "Index directory.")
    Path dir;

    @Option(names = "--dim", required = true, paramLabel = "D", description = "Vector dimension.")
    int dim;

    @Option(names = "--metric", defaultValue = "l2", paramLabel = "M",
            description = "Distance: l2, cosine or dot (default: ${DEFAULT-VALUE}).")
    String metric;

    @Option(names = "--max-degree", defaultValue = "32", paramLabel = "R",
            description = "Largest neighbour-list size R of the graph (default: ${DEFAULT-VALUE}).")
    int maxDegree;

    @Override
    public Integer call() throws Exception {
        IndexOptions options = IndexOptions.dimension(dim).withMetric(Metric.parse(metric)).withMaxDegree(maxDegree);
        try (MMapGraph index = MMapGraph.create(dir, options)) {
            System.out.println("created " + dir + ": dimension " + index.dimension() + ", metric " + index.metric()
                    + ", max degree " + index.maxDegree());
        }
        return 0;
    }
}
