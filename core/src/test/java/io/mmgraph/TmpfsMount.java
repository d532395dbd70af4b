package io.mmgraph;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A small tmpfs mounted for one test (Linux and root, as CI has; the test is skipped elsewhere): a file system that
 * can be filled, or remounted read-only, without touching the machine's disks. Unmounted by {@link #close}.
 */
public final class TmpfsMount implements AutoCloseable {
    private final Path point;

    private TmpfsMount(Path point) {
        this.point = point;
    }

    /** Mounts a tmpfs of {@code size} (e.g. "3m") at {@code point}, created if absent; skips the test if it cannot. */
    public static TmpfsMount mount(Path point, String size) throws IOException, InterruptedException {
        assumeTrue(System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux"), "needs Linux");
        Files.createDirectories(point);
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", point.toString()) == 0,
                "cannot mount a tmpfs here (needs root)");
        return new TmpfsMount(point);
    }

    public Path path() {
        return point;
    }

    /** Makes the file system read-only (as a read-only medium or a snapshot would be); false if the kernel refused. */
    public boolean remountReadOnly() throws IOException, InterruptedException {
        return run("mount", "-o", "remount,ro", point.toString()) == 0;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run("umount", point.toString());
    }

    private static int run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }
}
