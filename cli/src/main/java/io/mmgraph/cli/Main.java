package io.mmgraph.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The {@code mmgraph} command. Exit codes: 0 success, 1 failure (or damage found by check), 2 bad usage. */
@Command(name = "mmgraph",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "A vector search engine whose whole index lives in memory-mapped files.",
        subcommands = {
                DemoCommand.class, CreateCommand.class, ImportCommand.class, ExportCommand.class,
                StatsCommand.class, CheckCommand.class, SearchCommand.class, WarmCommand.class, GenCommand.class,
                GetCommand.class, DeleteCommand.class, CompactCommand.class, IndexFieldCommand.class, RelinkCommand.class, ServeCommand.class, BackupCommand.class,
                BenchCommand.class,
                CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * Libraries log through SLF4J's simple binding: warnings and errors only, on stderr (stdout carries results), and
     * nothing from the tokenizer's GPU probe. A -D on the command line wins.
     */
    static void quietLibraryLogging() {
        for (String[] kv : new String[][] {{"org.slf4j.simpleLogger.defaultLogLevel", "warn"},
                {"org.slf4j.simpleLogger.logFile", "System.err"}, {"org.slf4j.simpleLogger.log.ai.djl", "error"}}) {
            if (System.getProperty(kv[0]) == null) {
                System.setProperty(kv[0], kv[1]);
            }
        }
    }

    /** Runs the command line and returns the exit code (tests call this). */
    public static int run(String... args) {
        quietLibraryLogging();
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("mmgraph: " + describe(e));
            if (System.getenv("MMGRAPH_DEBUG") != null) {
                e.printStackTrace(cmd.getErr());
            }
            return 1;
        });
        return cl.execute(args);
    }

    /** The exception's class and message: the classes are named errors users can look up. */
    static String describe(Throwable e) {
        String msg = e.getMessage() == null ? "" : e.getMessage();
        return e.getClass().getSimpleName() + ": " + msg;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = Main.class.getResourceAsStream("/mmgraph-version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[] {"mmgraph " + p.getProperty("version", "unknown") + " (Java "
                    + Runtime.version() + ", " + io.mmgraph.vector.Kernels.get().name() + " kernels)"};
        }
    }
}
