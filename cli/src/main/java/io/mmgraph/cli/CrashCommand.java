package io.mmgraph.cli;

import io.mmgraph.bench.crash.CrashTorture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "crash", mixinStandardHelpOptions = true,
        description = {"Crash torture: runs a writer in a child JVM and kills it with SIGKILL, again and again, at",
                "random moments and right as it starts a commit; the files grow every 1,024 vectors, so kills land",
                "during inserts, commits and growth. After every kill this process opens the index and checks that",
                "it opens clean (repairing what the writer left), that verify finds nothing, that the count is at",
                "least the last commit the writer acknowledged, and that every committed vector is bit for bit",
                "the one written; the next writer resumes. Writes OUT/crash.json (docs/reliability.md)."})
final class CrashCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--kills", defaultValue = "100", paramLabel = "K", description = "Writers to kill (default: ${DEFAULT-VALUE}).")
    int kills;

    @Option(names = "--mode", defaultValue = "sync:100", paramLabel = "MODE",
            description = {"The writer's commits (default: ${DEFAULT-VALUE}): sync:N (sync() every N vectors),",
                    "inserts:N (Durability.everyInserts) or millis:T (Durability.everyMillis)."})
    String mode;

    @Option(names = "--dim", defaultValue = "32", paramLabel = "D", description = "Dimension (default: ${DEFAULT-VALUE}).")
    int dim;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Seed of vectors and kill times (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--max-delay-ms", defaultValue = "2000", paramLabel = "MS",
            description = "A random kill comes up to this long after the writer opened the index (default: ${DEFAULT-VALUE}).")
    long maxDelayMs;

    @Option(names = "--at-commit", defaultValue = "0.3", paramLabel = "FRACTION",
            description = "Share of kills made as the writer starts a sync() (mode sync:N; default: ${DEFAULT-VALUE}).")
    double atCommit;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (the index is OUT/index).")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (kills < 1 || dim < 1 || maxDelayMs < 21 || atCommit < 0 || atCommit > 1) {
            throw new ParameterException(spec.commandLine(), "--kills and --dim must be positive, --max-delay-ms "
                    + "above 20 and --at-commit within [0, 1]");
        }
        Files.createDirectories(out);
        CrashTorture.Options o = new CrashTorture.Options(out.resolve("index"), kills, seed, dim, mode, maxDelayMs,
                atCommit);
        Map<String, Object> report;
        try {
            report = CrashTorture.run(o, r -> System.err.printf(Locale.ROOT,
                    "kill %d/%d %s: acknowledged %,d, reopened with %,d%s%s%n", r.round(), kills, r.moment(),
                    r.acknowledged(), r.recoveredCount(), r.repaired() ? " (repaired)" : "",
                    r.ok() ? "" : " FAILED " + r.problems()));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        Files.writeString(out.resolve("crash.json"), Json.object(report) + "\n");
        System.out.println(Json.object(report));
        boolean ok = report.get("recovered").equals((long) kills) && Boolean.TRUE.equals(report.get("resumesAfterLastKill"));
        System.out.println(ok ? "all " + kills + " kills recovered, nothing acknowledged lost"
                : "FAILED: see failures in " + out.resolve("crash.json"));
        return ok ? 0 : 1;
    }
}
