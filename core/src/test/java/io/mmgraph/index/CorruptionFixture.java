package io.mmgraph.index;

import io.mmgraph.TestVectors;
import io.mmgraph.format.FileKind;
import io.mmgraph.format.FormatConstants;
import io.mmgraph.format.IndexFiles;
import io.mmgraph.format.Manifest;
import io.mmgraph.format.ManifestFile;
import io.mmgraph.format.SlotLayout;
import io.mmgraph.format.VerifyReport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The index the damage tests break: 100-d vectors (400-byte records, ten to a 4 KiB block with 96 bytes of padding),
 * R = 30 (128-byte lists), 64-slot extents (160 vectors or 512 lists per 64 KiB extent) and 613 vectors, so the
 * vector file spans four extents, the list file two, and the last block is part-filled.
 */
final class CorruptionFixture {
    static final int DIM = 100;
    static final int MAX_DEGREE = 30;
    static final int EXTENT_SLOTS = 64;
    static final int COUNT = 613;
    /** Vectors the fixture deletes (evenly spread), so that its deletes file has records to damage. */
    static final int DELETED = 5;

    private CorruptionFixture() {}

    static IndexOptions options() {
        return IndexOptions.dimension(DIM).withMaxDegree(MAX_DEGREE).withExtentSlots(EXTENT_SLOTS);
    }

    static SlotLayout layout(FileKind kind) {
        return IndexFiles.layout(kind, DIM, MAX_DEGREE, EXTENT_SLOTS);
    }

    /** Builds and closes the index; checks the committed lengths the manifest records. */
    static void build(Path dir, long seed) throws IOException {
        try (MMapGraph g = MMapGraph.create(dir, options())) {
            for (int i = 0; i < COUNT; i++) {
                g.add(TestVectors.vector(seed, i, DIM));
                if (i == COUNT / 2) {
                    g.sync();
                }
            }
            for (int ord = 3; ord < COUNT; ord += COUNT / DELETED) {
                assertTrue(g.delete(ord));
            }
        }
        Manifest m = ManifestFile.read(FormatConstants.manifestPath(dir)).newest();
        assertEquals(COUNT, m.committedCount());
        assertEquals(DELETED, m.deleteCount());
        for (FileKind kind : io.mmgraph.format.IndexFiles.kinds(0)) {
            assertEquals(layout(kind).lengthFor(m.records(kind)), m.committedLength(kind), kind.toString());
        }
        assertEquals(4, layout(FileKind.VECTORS).extentsFor(COUNT));
        assertEquals(2, layout(FileKind.NEIGHBOR_LISTS).extentsFor(COUNT));
        assertTrue(layout(FileKind.VECTORS).unitBytes() > layout(FileKind.VECTORS).recordsPerUnit() * 400);
    }

    /** Records of {@code kind} in the committed state. */
    static long records(Path dir, FileKind kind) throws IOException {
        return ManifestFile.read(FormatConstants.manifestPath(dir)).newest().records(kind);
    }

    /** Bytes of {@code file} that belong to the committed state. */
    static long committedLength(Path dir, String fileName) throws IOException {
        if (fileName.equals(FormatConstants.MANIFEST_FILE)) {
            return FormatConstants.MANIFEST_FILE_BYTES;
        }
        Manifest m = ManifestFile.read(FormatConstants.manifestPath(dir)).newest();
        for (FileKind kind : io.mmgraph.format.IndexFiles.kinds(0)) {
            if (kind.fileName().equals(fileName)) {
                return m.committedLength(kind);
            }
        }
        throw new IllegalArgumentException(fileName);
    }

    /** How an attempt to open and verify a (possibly damaged) index ended. */
    record Outcome(boolean detected, String how, String message) {
        /** Whether the error names the damaged file (an exception message or a verify problem). */
        boolean names(String fileName) {
            return message != null && message.contains(fileName);
        }
    }

    /**
     * Opens the index read-only and verifies it. Damage must surface as an IOException from open or a failed
     * report; anything else (a RuntimeException, an Error) propagates and fails the test.
     */
    static Outcome openAndVerify(Path dir) {
        try (MMapGraph g = MMapGraph.openReadOnly(dir)) {
            VerifyReport r = g.verify();
            return r.ok() ? new Outcome(false, "verify ok", null)
                    : new Outcome(true, "verify", String.join("\n", r.problems()));
        } catch (IOException e) {
            return new Outcome(true, e.getClass().getSimpleName(), e.getMessage());
        }
    }

    /** Flips one bit with positional file I/O (not through a mapping). */
    static void flipBit(Path file, long offset, int bit) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            if (ch.read(b, offset) != 1) {
                throw new IOException("no byte at " + offset + " in " + file);
            }
            b.put(0, (byte) (b.get(0) ^ (1 << bit)));
            b.rewind();
            if (ch.write(b, offset) != 1) {
                throw new IOException("could not write byte " + offset + " of " + file);
            }
        }
    }
}
