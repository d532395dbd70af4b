package io.mmgraph;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs a main class of the test sources in a child JVM: the same {@code java} binary as this process, the test
 * class path, and JVM flags of the test's choosing. For tests that need another process (a second writer, a reader
 * without the vector module, a writer killed with SIGKILL) or that must survive a JVM crash.
 *
 * <pre>
 *   ChildJvm.Result r = ChildJvm.main(ChildMain.class).args("verify", dir.toString()).run();
 * </pre>
 */
public final class ChildJvm {
    /** What every test JVM gets (see the parent pom's mmgraph.test.jvmArgs), with a small heap for children. */
    public static final List<String> DEFAULT_FLAGS = List.of(
            "--add-modules", "jdk.incubator.vector",
            "--enable-native-access=ALL-UNNAMED",
            "-XX:+UseSerialGC", "-Xmx256m", "-Xss1m");

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private final Class<?> mainClass;
    private final List<String> flags = new ArrayList<>(DEFAULT_FLAGS);
    private final List<String> args = new ArrayList<>();
    private Duration timeout = DEFAULT_TIMEOUT;

    private ChildJvm(Class<?> mainClass) {
        this.mainClass = mainClass;
    }

    public static ChildJvm main(Class<?> mainClass) {
        return new ChildJvm(mainClass);
    }

    /** Replaces the JVM flags (the defaults include the vector module; leave it out to test the fallback). */
    public ChildJvm jvmFlags(String... newFlags) {
        flags.clear();
        flags.addAll(Arrays.asList(newFlags));
        return this;
    }

    public ChildJvm addJvmFlags(String... more) {
        flags.addAll(Arrays.asList(more));
        return this;
    }

    public ChildJvm args(Object... more) {
        for (Object a : more) {
            args.add(String.valueOf(a));
        }
        return this;
    }

    public ChildJvm timeout(Duration t) {
        this.timeout = t;
        return this;
    }

    /** The java binary of this process. */
    public static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    public List<String> command() {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaBinary());
        // A crashing child writes its hs_err file to the temp directory, not into the source tree.
        cmd.add("-XX:ErrorFile=" + Path.of(System.getProperty("java.io.tmpdir"), "mmgraph-child-hs_err_pid%p.log"));
        cmd.addAll(flags);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass.getName());
        cmd.addAll(args);
        return cmd;
    }

    /** What a finished child did. */
    public record Result(int exitCode, String stdout, String stderr, List<String> command) {
        public List<String> stdoutLines() {
            return stdout.lines().toList();
        }

        /** For assertion messages. */
        public String describe() {
            return "child exit code " + exitCode + "\ncommand: " + String.join(" ", command) + "\n--- stdout ---\n"
                    + stdout + "\n--- stderr ---\n" + stderr;
        }
    }

    /** Runs the child to completion; a child that outlives the timeout is killed and the test fails. */
    public Result run() throws IOException, InterruptedException {
        Path out = Files.createTempFile("mmgraph-child-", ".out");
        Path err = Files.createTempFile("mmgraph-child-", ".err");
        try {
            List<String> cmd = command();
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError("child JVM did not finish within " + timeout + "\n"
                        + new Result(-1, Files.readString(out), Files.readString(err), cmd).describe());
            }
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err), cmd);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Starts the child and streams its stdout line by line (for tests that act while it runs). */
    public Running start() throws IOException {
        Path err = Files.createTempFile("mmgraph-child-", ".err");
        List<String> cmd = command();
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
        return new Running(p, err, cmd);
    }

    /** A child that is still running: its stdout arrives line by line through {@link #nextLine}. */
    public static final class Running implements AutoCloseable {
        private static final String EOF = new String("<eof>");

        private final Process process;
        private final Path stderrFile;
        private final List<String> command;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final StringBuilder seen = new StringBuilder();
        private boolean ended;

        private Running(Process process, Path stderrFile, List<String> command) {
            this.process = process;
            this.stderrFile = stderrFile;
            this.command = command;
            Thread pump = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    // the stream closes when the child dies
                } finally {
                    lines.add(EOF);
                }
            }, "child-stdout-" + process.pid());
            pump.setDaemon(true);
            pump.start();
        }

        public Process process() {
            return process;
        }

        /** The next stdout line, or null at end of stream; fails the test after {@code timeout}. */
        public String nextLine(Duration timeout) throws InterruptedException {
            if (ended) {
                return null;
            }
            String line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (line == null) {
                throw new AssertionError("no output from the child within " + timeout + "\n" + describe());
            }
            if (line == EOF) {
                ended = true;
                return null;
            }
            seen.append(line).append('\n');
            return line;
        }

        public String stderr() {
            try {
                return Files.readString(stderrFile);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public String describe() {
            return "command: " + String.join(" ", command) + "\n--- stdout so far ---\n" + seen
                    + "--- stderr ---\n" + stderr();
        }

        /** SIGKILL (on Unix) and wait for the process to be gone. */
        public int kill() throws InterruptedException {
            process.destroyForcibly();
            return process.waitFor();
        }

        @Override
        public void close() throws IOException {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Files.deleteIfExists(stderrFile);
        }
    }
}
