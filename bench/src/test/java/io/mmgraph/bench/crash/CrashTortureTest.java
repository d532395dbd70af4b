package io.mmgraph.bench.crash;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The short version of {@code mmgraph bench crash} that CI runs: writers in every durability mode killed with SIGKILL
 * at random moments and during commits, each kill recovered with nothing acknowledged lost (the long run's figures
 * are in docs/reliability.md).
 */
class CrashTortureTest {
    @TempDir
    Path tmp;

    @Test
    void everyKillIsRecoveredWithNothingAcknowledgedLost() throws Exception {
        List<CrashTorture.Round> rounds = new ArrayList<>();
        Path dir = tmp.resolve("index");
        for (String mode : List.of("sync:50", "inserts:50", "millis:20")) {
            Map<String, Object> r = CrashTorture.run(new CrashTorture.Options(dir, mode.startsWith("sync") ? 6 : 3,
                    7, 16, mode, 1_500, 0.5), rounds::add);
            assertEquals(r.get("kills"), ((Number) r.get("recovered")).intValue(), mode + ": " + r.get("failures"));
            assertEquals(0L, r.get("lostAcknowledgedCommits"), mode);
            assertEquals(true, r.get("resumesAfterLastKill"), mode);
            assertTrue(((Number) r.get("killsAfterACommitOfTheirOwn")).longValue() > 0,
                    mode + ": some writer committed (by its mode) before it was killed: " + r);
        }
        for (CrashTorture.Round round : rounds) {
            assertTrue(round.ok(), round.toString());
            assertTrue(round.exitCode() == 137, "killed by SIGKILL, not ended on its own: " + round);
            assertTrue(round.recoveredCount() >= round.acknowledged(), round.toString());
        }
        assertTrue(rounds.getLast().recoveredCount() > 0, "the writers made progress across kills: " + rounds);
        assertTrue(rounds.stream().anyMatch(r -> r.moment().startsWith("at sync")), "some kills hit commits");
    }

    @Test
    void aBadModeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> CrashTorture.run(
                new CrashTorture.Options(tmp.resolve("i"), 1, 1, 8, "sometimes", 100, 0), r -> { }));
    }
}
