package io.mmgraph.cli;

import io.mmgraph.format.VerifyReport;
import io.mmgraph.index.MMapGraph;
import io.mmgraph.store.AccessHint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Verify every committed byte of an index; exit 1 on damage.",
                "Checks manifest copies, file headers, vector checksums, neighbour lists and padding.",
                "Exit 0 when clean, 1 with the damaged file and place otherwise.",
                "Safe while a writer works: it checks the newest commit."})
final class CheckCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "Index directory.")
    Path dir;

    @Override
    public Integer call() {
        long t0 = System.nanoTime();
        try (MMapGraph index = MMapGraph.openReadOnly(dir)) {
            index.advise(AccessHint.SEQUENTIAL);
            VerifyReport r = index.verify();
            double secs = (System.nanoTime() - t0) / 1e9;
            if (r.ok()) {
                System.out.printf("ok: %d vectors, %,d bytes checked in %.2f s%n", r.committedCount(), r.bytesChecked(), secs);
                return 0;
            }
            System.out.println("DAMAGED: " + r.problemCount() + " problem(s) in " + dir);
            r.problems().forEach(p -> System.out.println("  " + p));
            if (r.problemCount() > r.problems().size()) {
                System.out.println("  ... and " + (r.problemCount() - r.problems().size()) + " more");
            }
            return 1;
        } catch (IOException | RuntimeException e) {
            System.out.println("DAMAGED: " + Main.describe(e));
            return 1;
        }
    }
}
