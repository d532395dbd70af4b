package io.mmgraph.cli;

import io.mmgraph.dataset.VectorFiles;
import io.mmgraph.index.MMapGraph;
import io.mmgraph.store.AccessHint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Write every committed vector to an .fvecs file, or as JSON Lines documents with their ids and",
                "payloads to a .jsonl file ({\"id\":…,\"vector\":[…],\"payload\":{…}}, what import reads), in ordinal order.",
                "An l2 or dot index returns the exact bytes imported; a cosine index stores (and exports) unit vectors.",
                "Deleted vectors are left out (so an export imported again is the index without them, numbered",
                "anew), unless --include-deleted."})
final class ExportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "Index directory.")
    Path dir;

    @Parameters(index = "1", paramLabel = "OUT", description = "Output .fvecs or .jsonl file.")
    Path out;

    @Option(names = "--include-deleted", description = "Write deleted vectors too (every ordinal in order).")
    boolean includeDeleted;

    @Override
    public Integer call() throws Exception {
        try (MMapGraph index = MMapGraph.openReadOnly(dir);
             OutputStream os = new BufferedOutputStream(Files.newOutputStream(out), 1 << 16)) {
            index.advise(AccessHint.SEQUENTIAL);
            int n = index.size();
            int written = 0;
            boolean jsonLines = out.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".jsonl");
            try (Progress progress = new Progress("export", n, "vectors")) {
                for (int ord = 0; ord < n; ord++) {
                    if (includeDeleted || !index.isDeleted(ord)) {
                        if (jsonLines) {
                            os.write(Documents.jsonLine(index, ord).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                            os.write('\n');
                        } else {
                            VectorFiles.writeFvec(os, index.vector(ord));
                        }
                        written++;
                    }
                    progress.step();
                }
            }
            System.out.println("exported " + written + " vectors of dimension " + index.dimension() + " to " + out
                    + (written < n ? " (" + (n - written) + " deleted ones left out)" : ""));
        }
        return 0;
    }
}
