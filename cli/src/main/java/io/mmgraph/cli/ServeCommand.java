package io.mmgraph.cli;

import io.mmgraph.server.MmgraphServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve the collections in DIR (one index per subdirectory) over HTTP, with a REST API modelled",
                "on Qdrant's: collections, points (upsert, get, delete), search with filters, /healthz, /metrics",
                "(docs/http.md). Binds to 127.0.0.1 unless --bind says otherwise. Runs until interrupted (Ctrl-C,",
                "SIGTERM), then stops taking requests and commits and closes every collection."})
final class ServeCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "Data directory (created if absent).")
    Path dir;

    @Option(names = "--port", defaultValue = "6333", paramLabel = "P", description = "Port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--bind", defaultValue = "127.0.0.1", paramLabel = "ADDR",
            description = "Address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface: set an API key).")
    String bind;

    @Option(names = "--api-key", paramLabel = "KEY",
            description = "Require this key on every request but /healthz (header api-key or Authorization: Bearer); "
                    + "default: the MMGRAPH_API_KEY environment variable, else none.")
    String apiKey;

    @Option(names = "--max-request-size", defaultValue = "32m", paramLabel = "SIZE",
            description = "Largest request body, as bytes or with k/m/g (default: ${DEFAULT-VALUE}); larger ones get 413.")
    String maxRequestSize;

    @Override
    public Integer call() throws Exception {
        String key = apiKey != null ? apiKey : System.getenv("MMGRAPH_API_KEY");
        MmgraphServer server = MmgraphServer.start(new MmgraphServer.Config(dir, bind, port,
                key == null || key.isEmpty() ? null : key, ScaleCommand.parseSize(maxRequestSize)));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
                System.err.println("mmgraph serve: stopped; every collection committed and closed");
            } catch (Exception e) {
                System.err.println("mmgraph serve: stopping failed: " + e);
            } finally {
                stopped.countDown();
            }
        }, "mmgraph-serve-shutdown"));
        System.out.println("mmgraph serving " + dir + " on http://" + bind + ":" + server.port()
                + (key == null || key.isEmpty() ? "" : " (API key required)"));
        stopped.await();
        return 0;
    }
}
