package io.mmgraph.store;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Anonymous memory: zeroed, aligned to huge pages, backed by them where the kernel allows, unusable once closed. */
class AnonymousMemoryTest {
    private static final long MIB = 1 << 20;

    @Test
    void segmentsAreZeroedAlignedWritableAndReleasedByClose() {
        MemorySegment s;
        try (AnonymousMemory memory = new AnonymousMemory()) {
            s = memory.allocate(3 * MIB + 5);
            assertEquals(3 * MIB + 5, s.byteSize());
            if (NativeIO.LINUX) {
                assertEquals(0, s.address() % AnonymousMemory.HUGE_PAGE_BYTES, "starts on a huge page");
            }
            for (long at = 0; at < s.byteSize(); at += 4096) {
                assertEquals(0, s.get(ValueLayout.JAVA_BYTE, at), "zero at " + at);
            }
            s.set(ValueLayout.JAVA_LONG_UNALIGNED, s.byteSize() - 8, 0x1234_5678_9abc_def0L);
            assertEquals(0x1234_5678_9abc_def0L, s.get(ValueLayout.JAVA_LONG_UNALIGNED, s.byteSize() - 8));
            memory.close();
            assertThrows(IllegalStateException.class, () -> s.get(ValueLayout.JAVA_BYTE, 0), "unmapped: refused");
            assertThrows(IllegalStateException.class, () -> memory.allocate(4096), "closed: no more segments");
        }
        assertThrows(IllegalArgumentException.class, () -> new AnonymousMemory().allocate(0));
    }

    /** The hint does what it claims: smaps shows the mapping advised (hg) and backed by huge pages once written. */
    @Test
    void writtenMemoryIsBackedByHugePagesWhereTransparentHugePagesAreOn() throws IOException {
        Path enabled = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");
        assumeTrue(Smaps.available() && Files.isReadable(enabled)
                && !Files.readString(enabled).contains("[never]"), "Linux with transparent huge pages");
        try (AnonymousMemory memory = new AnonymousMemory()) {
            MemorySegment s = memory.allocate(4 * MIB);
            assertTrue(memory.hugePagesAdvised());
            s.set(ValueLayout.JAVA_BYTE, 0, (byte) 1); // one write per huge page faults the whole page in
            s.set(ValueLayout.JAVA_BYTE, 2 * MIB, (byte) 1);
            Map<String, String> mapping = Smaps.at(s.address());
            assertNotNull(mapping, "the segment is a mapping of its own");
            assertTrue((" " + mapping.get("VmFlags") + " ").contains(" hg "), "MADV_HUGEPAGE: " + mapping);
            assertEquals(4096, Smaps.kilobytes(mapping, "AnonHugePages"),
                    "two huge pages for two writes: " + mapping);
        }
    }
}
