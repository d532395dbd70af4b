package io.mmgraph.bench.scale;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A memory cgroup of our own, so that a child process and the page cache it fills are held under one limit by the
 * kernel (cgroup v1's memory controller or cgroup v2's {@code memory.max}, whichever the machine has). The limit and
 * the peak are read back from the kernel, not assumed. Creating one needs write access to the cgroup file system
 * (root here); {@link #create} says clearly when it cannot.
 */
public final class MemoryCgroup implements AutoCloseable {
    static final Path V1_ROOT = Path.of("/sys/fs/cgroup/memory");
    static final Path V2_ROOT = Path.of("/sys/fs/cgroup");

    private final Path dir;
    private final boolean v2;

    private MemoryCgroup(Path dir, boolean v2) {
        this.dir = dir;
        this.v2 = v2;
    }

    /**
     * Creates cgroup {@code name} afresh (removing one left by an interrupted run) with a hard memory limit of
     * {@code limitBytes}, page cache included; swap is limited to the same where the kernel accounts it. A fresh
     * cgroup starts its peak and OOM-kill counts at zero.
     *
     * @throws IOException naming the cgroup file system and what is missing when no limit can be set
     */
    public static MemoryCgroup create(String name, long limitBytes) throws IOException {
        if (Files.isDirectory(V1_ROOT) && Files.exists(V1_ROOT.resolve("memory.limit_in_bytes"))) {
            Path dir = V1_ROOT.resolve(name);
            try {
                removeStale(dir);
                Files.createDirectories(dir);
                // The swap limit (memsw) must stay >= the memory limit: lower memory first when shrinking.
                write(dir.resolve("memory.limit_in_bytes"), limitBytes);
                Path memsw = dir.resolve("memory.memsw.limit_in_bytes");
                if (Files.exists(memsw)) {
                    write(memsw, limitBytes);
                }
            } catch (IOException e) {
                throw cannot("cgroup v1 at " + V1_ROOT, e);
            }
            return new MemoryCgroup(dir, false);
        }
        if (Files.exists(V2_ROOT.resolve("cgroup.controllers"))) {
            String controllers = Files.readString(V2_ROOT.resolve("cgroup.controllers"));
            if (!controllers.contains("memory")) {
                throw cannot("cgroup v2 at " + V2_ROOT + " (no memory controller: " + controllers.trim() + ")", null);
            }
            Path dir = V2_ROOT.resolve(name);
            try {
                Path subtree = V2_ROOT.resolve("cgroup.subtree_control");
                if (!Files.readString(subtree).contains("memory")) {
                    Files.writeString(subtree, "+memory");
                }
                removeStale(dir);
                Files.createDirectories(dir);
                if (!Files.exists(dir.resolve("memory.peak"))) {
                    Files.deleteIfExists(dir);
                    throw new IOException("this kernel's cgroup v2 has no memory.peak (Linux 5.19 or newer needed)");
                }
                write(dir.resolve("memory.max"), limitBytes);
                Path swap = dir.resolve("memory.swap.max");
                if (Files.exists(swap)) {
                    Files.writeString(swap, "0");
                }
            } catch (IOException e) {
                throw cannot("cgroup v2 at " + V2_ROOT, e);
            }
            return new MemoryCgroup(dir, true);
        }
        throw cannot("any cgroup file system (neither " + V1_ROOT + " nor " + V2_ROOT + "/cgroup.controllers exists)",
                null);
    }

    /** A cgroup of that name left by an interrupted run: removed if no process is left in it. */
    private static void removeStale(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            if (!Files.readString(dir.resolve("cgroup.procs")).isBlank()) {
                throw new IOException(dir + " still holds processes " + Files.readString(dir.resolve("cgroup.procs"))
                        .trim().replace('\n', ' ') + " (a scale run with the same output folder is still running?)");
            }
            Files.delete(dir);
        }
    }

    private static IOException cannot(String where, IOException cause) {
        return new IOException("cannot set a memory limit through " + where + ": this needs a memory cgroup the "
                + "process may create (root, or a delegated cgroup v2 subtree); run without --memory-limit to "
                + "measure without one" + (cause == null ? "" : " (" + cause + ")"), cause);
    }

    private static void write(Path file, long value) throws IOException {
        Files.writeString(file, Long.toString(value));
    }

    private long read(String v1, String v2File) throws IOException {
        String s = Files.readString(dir.resolve(v2 ? v2File : v1)).trim();
        return s.equals("max") ? Long.MAX_VALUE : Long.parseLong(s);
    }

    /** The limit as the kernel holds it (rounded to pages). */
    public long limitBytes() throws IOException {
        return read("memory.limit_in_bytes", "memory.max");
    }

    /** The highest usage (process memory and page cache) since the cgroup was created. */
    public long peakBytes() throws IOException {
        return read("memory.max_usage_in_bytes", "memory.peak");
    }

    /** Processes the kernel's OOM killer killed in this cgroup since it was created (0 where it does not count). */
    public long oomKills() throws IOException {
        Path f = dir.resolve(v2 ? "memory.events" : "memory.oom_control");
        for (String line : Files.readAllLines(f)) {
            if (line.startsWith("oom_kill ")) {
                return Long.parseLong(line.substring("oom_kill ".length()).trim());
            }
        }
        return 0;
    }

    /** Major page faults charged to the cgroup (v1 {@code memory.stat} total_pgmajfault, v2 pgmajfault). */
    public long majorFaults() throws IOException {
        for (String line : Files.readAllLines(dir.resolve("memory.stat"))) {
            String[] kv = line.split(" ");
            if (kv.length == 2 && (kv[0].equals(v2 ? "pgmajfault" : "total_pgmajfault"))) {
                return Long.parseLong(kv[1]);
            }
        }
        return -1;
    }

    /** {@code command} wrapped so that the process joins this cgroup before it execs (its page cache is charged here). */
    public List<String> wrap(List<String> command) {
        List<String> out = new ArrayList<>(List.of("/bin/sh", "-c",
                "echo $$ > '" + dir.resolve("cgroup.procs") + "' && exec \"$@\"", "sh"));
        out.addAll(command);
        return out;
    }

    public String describe() {
        return (v2 ? "cgroup v2 " : "cgroup v1 memory ") + dir;
    }

    /** Removes the cgroup (its processes have exited; page cache charged to it moves to the parent). */
    @Override
    public void close() throws IOException {
        Files.deleteIfExists(dir);
    }
}
