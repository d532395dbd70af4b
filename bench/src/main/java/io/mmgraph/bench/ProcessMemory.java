package io.mmgraph.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;

/** Peak memory and page-fault figures of this process (Linux /proc; -1 where the OS does not say). */
public final class ProcessMemory {
    private ProcessMemory() {
    }

    /** Sum of the heap pools' peak usage since the JVM started (an upper bound of the true peak: pools peak apart). */
    public static long heapPeakBytes() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    /** Peak resident set (VmHWM from /proc/self/status), or -1 where the OS does not say. */
    public static long rssPeakBytes() {
        return statusKiB("VmHWM:");
    }

    static long statusKiB(String field) {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith(field)) {
                    String[] parts = line.substring(field.length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** Major page faults of this process so far (those that read from disk), field 12 of /proc/self/stat. */
    public static long majorFaults() {
        return statField(12);
    }

    /** Minor page faults of this process so far (page already in memory), field 10 of /proc/self/stat. */
    public static long minorFaults() {
        return statField(10);
    }

    private static long statField(int field) {
        Path stat = Path.of("/proc/self/stat");
        if (!Files.isReadable(stat)) {
            return -1;
        }
        try {
            String s = Files.readString(stat);
            // Fields after the command name, which is in parentheses and may hold spaces: field 3 is the first.
            String[] rest = s.substring(s.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(rest[field - 3]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
