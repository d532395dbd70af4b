package io.mmgraph.cli;

import io.mmgraph.index.IndexBackup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "backup", mixinStandardHelpOptions = true,
        description = {"Copy the newest commit of an index to a new directory, while a writer may keep writing.",
                "Copies each file's committed records (append-only, so a commit's bytes never change), then",
                "repairs the neighbour lists, which the writer rewrites in place, as after a crash, and",
                "verifies the copy. Exit 0 with a verified copy, 1 otherwise."})
final class BackupCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "Index directory.")
    Path dir;

    @Parameters(index = "1", paramLabel = "OUT", description = "Where the copy goes: a new or empty directory.")
    Path out;

    @Override
    public Integer call() throws Exception {
        IndexBackup.Report r = IndexBackup.copy(dir, out);
        if (!r.verify().ok()) {
            System.out.println("the copy in " + out + " does not verify: " + r.verify().problems());
            return 1;
        }
        System.out.printf(Locale.ROOT, "backed up %,d vectors (%,d bytes) to %s in %.2f s; the copy verifies%n",
                r.committedCount(), r.bytesCopied(), out, r.seconds());
        return 0;
    }
}
