package io.mmgraph.cli;

import io.mmgraph.dataset.VectorFiles;
import io.mmgraph.index.MMapGraph;
import io.mmgraph.store.AccessHint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Write every committed vector to an .fvecs file, in ordinal order.",
                "An l2 or dot index returns the exact bytes imported; a cosine index stores (and exports) unit vectors."})
final class ExportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "Index directory.")
    Path dir;

    @Parameters(index = "1", paramLabel = "OUT", description = "Output .fvecs file.")
    Path out;

    @Override
    public Integer call() throws Exception {
        try (MMapGraph index = MMapGraph.openReadOnly(dir);
             OutputStream os = new BufferedOutputStream(Files.newOutputStream(out), 1 << 16)) {
            index.advise(AccessHint.SEQUENTIAL);
            int n = index.size();
            try (Progress progress = new Progress("export", n, "vectors")) {
                for (int ord = 0; ord < n; ord++) {
                    VectorFiles.writeFvec(os, index.vector(ord));
                    progress.step();
                }
            }
            System.out.println("exported " + n + " vectors of dimension " + index.dimension() + " to " + out);
        }
        return 0;
    }
}
