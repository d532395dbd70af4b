package io.mmgraph.format;

import io.mmgraph.TestSeeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Where records live: DESIGN.md §2 (never straddle a block) and §10 (64 KiB mapping units). */
class SlotLayoutTest {
    private static final int BLOCK = FormatConstants.BLOCK_SIZE;

    /** Every property of one layout, over enough ordinals to cover several extents. */
    private static void checkLayout(int recordBytes, int extentSlots) {
        SlotLayout l = new SlotLayout(recordBytes, extentSlots);
        String at = l + " (extentSlots=" + extentSlots + ")";
        assertEquals(0, l.extentBytes() % FormatConstants.MAP_ALIGNMENT, "extentBytes not 64 KiB-aligned: " + at);
        assertTrue(l.recordsPerExtent() >= extentSlots, "fewer records per extent than asked: " + at);
        assertEquals(recordBytes, l.recordBytes());
        assertEquals(0, l.extentStart(0) % FormatConstants.MAP_ALIGNMENT);
        assertEquals(FormatConstants.PROLOGUE_BYTES, l.extentStart(0));
        assertEquals(FormatConstants.PROLOGUE_BYTES, l.lengthFor(0));

        long ordinals = Math.min(3L * l.recordsPerExtent() + 7, 20_000);
        long previousEnd = FormatConstants.PROLOGUE_BYTES;
        for (long ord = 0; ord < ordinals; ord++) {
            long off = l.fileOffset(ord);
            long end = off + recordBytes;
            int e = l.extentOf(ord);
            long inExtent = l.offsetInExtent(ord);
            assertEquals(l.extentStart(e) + inExtent, off, at);
            assertTrue(inExtent >= 0 && inExtent + recordBytes <= l.extentBytes(),
                    "record " + ord + " at " + inExtent + " leaves its extent: " + at);
            // Offsets grow with the ordinal, so "after the previous record's end" means distinct and non-overlapping.
            assertTrue(off >= previousEnd, "record " + ord + " at " + off + " overlaps the previous one: " + at);
            if (recordBytes <= BLOCK) {
                assertEquals(off / BLOCK, (end - 1) / BLOCK, "record " + ord + " straddles a block: " + at);
            } else {
                assertEquals(0, off % BLOCK, "large record " + ord + " does not start a block: " + at);
            }
            if (recordBytes % 4 == 0) {
                assertEquals(0, off % 4, "record " + ord + " not 4-byte aligned: " + at);
            }
            assertEquals(end, l.lengthFor(ord + 1), "lengthFor(" + (ord + 1) + "): " + at);
            assertEquals(e + 1, l.extentsFor(ord + 1), "extentsFor(" + (ord + 1) + "): " + at);
            assertTrue(l.extentStart(l.extentsFor(ord + 1)) >= l.lengthFor(ord + 1), at);
            previousEnd = end;
        }
        // The first record of each extent starts the extent.
        for (int e = 0; e < 3; e++) {
            assertEquals(l.extentStart(e), l.fileOffset((long) e * l.recordsPerExtent()), at);
        }
    }

    @ParameterizedTest(name = "recordBytes={0} extentSlots={1}")
    @CsvSource({
            "1, 1", "4, 64", "4, 16384", "4, 16385", "128, 64", "136, 512", "400, 64", "400, 160", "400, 161",
            "512, 100000", "4095, 3", "4096, 1", "4096, 17", "4097, 1", "4097, 5", "8192, 9", "12000, 7",
            "65536, 1", "65536, 3"})
    void layoutsOfInterest(int recordBytes, int extentSlots) {
        checkLayout(recordBytes, extentSlots);
    }

    @Test
    void randomLayouts() {
        Random r = TestSeeds.random("SlotLayoutTest.randomLayouts");
        for (int i = 0; i < 200; i++) {
            int recordBytes = r.nextBoolean() ? 4 * (1 + r.nextInt(1024)) : 1 + r.nextInt(FormatConstants.MAX_DIMENSION * 4);
            checkLayout(recordBytes, 1 + r.nextInt(2000));
        }
    }

    @Test
    void packsSmallRecordsPerBlockWithPadding() {
        // 100-d vectors: 400-byte records, 10 to a block, 96 bytes of padding at the end of each block.
        SlotLayout l = new SlotLayout(400, 64);
        assertEquals(10, l.recordsPerUnit());
        assertEquals(BLOCK, l.unitBytes());
        assertEquals(FormatConstants.PROLOGUE_BYTES + BLOCK, l.fileOffset(10));
        assertEquals(FormatConstants.PROLOGUE_BYTES + 9 * 400 + 400, l.lengthFor(10));
        assertEquals(65536, l.extentBytes());
        assertEquals(160, l.recordsPerExtent());
        assertEquals(FormatConstants.PROLOGUE_BYTES + 65536, l.fileOffset(160));
        assertEquals(2, l.extentsFor(161));
    }

    @Test
    void largeRecordsTakeWholeBlocks() {
        SlotLayout l = new SlotLayout(4097, 1);
        assertEquals(2 * BLOCK, l.unitBytes());
        assertEquals(1, l.recordsPerUnit());
        assertEquals(8, l.recordsPerExtent()); // 64 KiB / 8 KiB
        assertEquals(FormatConstants.PROLOGUE_BYTES + 2 * BLOCK, l.fileOffset(1));
    }

    @Test
    void rejectsNonPositiveArguments() {
        assertThrows(IllegalArgumentException.class, () -> new SlotLayout(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new SlotLayout(4, 0));
        assertThrows(IllegalArgumentException.class, () -> new SlotLayout(-4, 10));
    }

    @Test
    void lengthForIsMonotonic() {
        SlotLayout l = new SlotLayout(400, 64);
        long previous = l.lengthFor(0);
        for (long n = 1; n < 1000; n++) {
            long len = l.lengthFor(n);
            if (len <= previous) {
                fail("lengthFor(" + n + ")=" + len + " <= lengthFor(" + (n - 1) + ")=" + previous);
            }
            previous = len;
        }
    }
}
