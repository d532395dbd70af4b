package io.mmgraph.cli;

import io.mmgraph.format.FileKind;
import io.mmgraph.index.MMapGraph;
import io.mmgraph.store.Residency;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "warm", mixinStandardHelpOptions = true,
        description = {"Load an index into the OS page cache, so that the first searches run at warm speed.",
                "Reads the neighbour lists, the codes (of an index with codes), then the vectors (madvise",
                "WILLNEED, then one read per page), with progress on stderr, and prints how much of each file",
                "is resident before and after (mincore; Linux and macOS). Checksums are left cold: only check reads them. An index larger than the",
                "memory available for the page cache cannot stay warm: the kernel evicts what is read first."})
final class WarmCommand implements Callable<Integer> {
    private static final long MIB = 1 << 20;

    @Parameters(index = "0", paramLabel = "DIR", description = "Index directory.")
    Path dir;

    @Option(names = "--evict-first", description = "Drop the index from the page cache first (posix_fadvise DONTNEED; Linux), to time a cold load.")
    boolean evictFirst;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (evictFirst) {
            MMapGraph.evictFromPageCache(dir);
        }
        try (MMapGraph index = MMapGraph.openReadOnly(dir)) {
            Map<FileKind, Residency> before = index.residency();
            long bytes = index.warmBytes();
            long t0 = System.nanoTime();
            try (Progress progress = new Progress("warm", bytes, "MiB", MIB, 64 * MIB)) {
                index.warm(progress::stepBy);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            Map<FileKind, Residency> after = index.residency();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("loadedBytes", bytes);
            m.put("seconds", seconds);
            m.put("mibPerSecond", bytes / (double) MIB / Math.max(seconds, 1e-9));
            Map<String, Object> files = new LinkedHashMap<>();
            for (FileKind kind : after.keySet()) {
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("bytes", after.get(kind).bytes());
                f.put("residentBefore", before.get(kind).residentBytes());
                f.put("residentAfter", after.get(kind).residentBytes());
                files.put(kind.fileName(), f);
            }
            m.put("files", files);
            if (json) {
                System.out.println(Json.object(m));
                return 0;
            }
            System.out.printf(Locale.ROOT, "warmed %,d bytes in %.2f s (%.0f MiB/s)%n", bytes, seconds,
                    bytes / (double) MIB / Math.max(seconds, 1e-9));
            for (FileKind kind : after.keySet()) {
                Residency b = before.get(kind);
                Residency a = after.get(kind);
                System.out.printf(Locale.ROOT, "  %-18s resident %s -> %s of %,d bytes%n", kind.fileName(),
                        percent(b), percent(a), a.bytes());
            }
        }
        return 0;
    }

    private static String percent(Residency r) {
        return r.known() ? String.format(Locale.ROOT, "%5.1f%%", 100 * (Double.isNaN(r.fraction()) ? 0 : r.fraction()))
                : "   n/a";
    }
}
