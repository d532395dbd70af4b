package io.mmgraph.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What the kernel says of this process's mappings (/proc/self/smaps, Linux only): for tests of madvise hints. */
public final class Smaps {
    private Smaps() {}

    /** Whether this process can read its smaps (Linux). */
    public static boolean available() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")
                && Files.isReadable(Path.of("/proc/self/smaps"));
    }

    /** The {@code VmFlags} of every mapping of {@code file} in this process. */
    public static List<String> vmFlags(Path file) throws IOException {
        List<String> out = new ArrayList<>();
        String name = file.toRealPath().toString();
        for (Map<String, String> m : mappings()) {
            if (m.get("header").endsWith(name)) {
                out.add(m.getOrDefault("VmFlags", ""));
            }
        }
        return out;
    }

    /** The fields (e.g. {@code AnonHugePages}, {@code VmFlags}) of the mapping holding {@code address}, or null. */
    public static Map<String, String> at(long address) throws IOException {
        for (Map<String, String> m : mappings()) {
            String[] range = m.get("header").split(" ", 2)[0].split("-");
            if (Long.compareUnsigned(Long.parseUnsignedLong(range[0], 16), address) <= 0
                    && Long.compareUnsigned(address, Long.parseUnsignedLong(range[1], 16)) < 0) {
                return m;
            }
        }
        return null;
    }

    /** Kilobytes in a field such as {@code "AnonHugePages"} of a mapping {@link #at} returned. */
    public static long kilobytes(Map<String, String> mapping, String field) {
        return Long.parseLong(mapping.get(field).replace("kB", "").trim());
    }

    private static List<Map<String, String>> mappings() throws IOException {
        List<Map<String, String>> out = new ArrayList<>();
        Map<String, String> current = null;
        for (String line : Files.readAllLines(Path.of("/proc/self/smaps"))) {
            if (line.matches("^[0-9a-f]+-[0-9a-f]+ .*")) { // a mapping's header line: range, perms, …, path
                current = new HashMap<>();
                current.put("header", line);
                out.add(current);
            } else if (current != null) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    current.put(line.substring(0, colon), line.substring(colon + 1).trim());
                }
            }
        }
        return out;
    }
}
