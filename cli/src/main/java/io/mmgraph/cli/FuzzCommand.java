package io.mmgraph.cli;

import io.mmgraph.bench.fuzz.IndexFuzzer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "fuzz", mixinStandardHelpOptions = true,
        description = {"Fuzz opening and checking: damages copies of a small index with codes in seeded random ways",
                "(flipped bits, overwritten runs, truncation, extension, deleted files, and fields of the manifest,",
                "the file headers and the codebook rewritten with their CRC32C fixed) and drives every path over",
                "each: open read-only, search by codes and by vectors, read vectors, verify, refresh, open for",
                "writing, add, commit. Each must work or fail with a named IOException; any other exception, a",
                "hang or a JVM crash is a failure. Writes OUT/fuzz.json; exit 1 on a failure (docs/reliability.md)."})
final class FuzzCommand implements Callable<Integer> {
    @Option(names = "--cases", defaultValue = "2000", paramLabel = "N", description = "Damaged indexes (default: ${DEFAULT-VALUE}).")
    int cases;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Campaign seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Scratch and output folder.")
    Path out;

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(out);
        Map<String, Object> r;
        try (Progress progress = new Progress("fuzz", cases, "cases")) {
            r = IndexFuzzer.run(out, seed, cases, c -> {
                progress.stepBy(1);
                if (!c.ok()) {
                    System.err.println("FAILED " + c);
                }
            });
        }
        Files.writeString(out.resolve("fuzz.json"), Json.object(r) + "\n");
        System.out.println(Json.object(r));
        return ((Number) r.get("failed")).intValue() == 0 ? 0 : 1;
    }
}
