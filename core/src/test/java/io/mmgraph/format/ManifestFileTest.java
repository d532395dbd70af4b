package io.mmgraph.format;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The A/B manifest: the valid copy with the highest sequence wins, and one damaged copy is survivable. */
class ManifestFileTest {
    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve(FormatConstants.MANIFEST_FILE);
    }

    private Manifest createWithCommits(int commits) throws IOException {
        Manifest m = ManifestTest.sample(0);
        ManifestFile.create(file(), m);
        m = m.next(m.state(), m.committedCount(), m.committedLengths()); // create wrote sequences 0 and 1
        try (FileChannel ch = FileChannel.open(file(), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            for (int i = 0; i < commits; i++) {
                m = m.next(Manifest.State.OPEN, m.committedCount() + 10, m.committedLengths());
                ManifestFile.commit(file(), ch, m);
            }
        }
        return m;
    }

    private void writeAt(long offset, ByteBuffer bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file(), StandardOpenOption.WRITE)) {
            ByteBuffer b = bytes.duplicate();
            while (b.hasRemaining()) {
                offset += ch.write(b, offset);
            }
        }
    }

    private void flipByte(long offset) throws IOException {
        try (FileChannel ch = FileChannel.open(file(), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            ch.read(one, offset);
            one.put(0, (byte) (one.get(0) ^ 0x01)).rewind();
            ch.write(one, offset);
        }
    }

    @Test
    void createWritesBothCopies() throws IOException {
        ManifestFile.create(file(), ManifestTest.sample(0));
        assertEquals(FormatConstants.MANIFEST_FILE_BYTES, Files.size(file()));
        ManifestFile.Read r = ManifestFile.read(file());
        assertTrue(r.bothValid());
        assertEquals(0, r.a().sequence());
        assertEquals(1, r.b().sequence());
        assertEquals(1, r.newest().sequence());
        assertEquals(ManifestTest.sample(0).committedLengths(), r.newest().committedLengths());
        assertThrows(java.nio.file.FileAlreadyExistsException.class,
                () -> ManifestFile.create(file(), ManifestTest.sample(0)));
    }

    @Test
    void newestValidCopyWinsAsCommitsAlternate() throws IOException {
        Manifest m = ManifestTest.sample(0);
        ManifestFile.create(file(), m);
        m = m.next(m.state(), m.committedCount(), m.committedLengths());
        try (FileChannel ch = FileChannel.open(file(), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            for (int i = 0; i < 7; i++) {
                m = m.next(Manifest.State.OPEN, 1000 + i, m.committedLengths());
                ManifestFile.commit(file(), ch, m);
                ManifestFile.Read r = ManifestFile.read(file());
                assertEquals(m, r.newest());
                assertTrue(r.bothValid());
                assertEquals(m.sequence() - 1, (m.pageIndex() == 0 ? r.b() : r.a()).sequence());
            }
        }
    }

    @Test
    void survivesDamageToTheNewestCopy() throws IOException {
        Manifest newest = createWithCommits(3); // sequence 4, in copy A; copy B holds sequence 3
        assertEquals(4, newest.sequence());
        flipByte(40); // committedCount of copy A
        ManifestFile.Read r = ManifestFile.read(file());
        assertNull(r.a());
        assertFalse(r.bothValid());
        assertEquals(3, r.newest().sequence());
        assertEquals(newest.committedCount() - 10, r.newest().committedCount());
    }

    @Test
    void survivesDamageToTheOlderCopy() throws IOException {
        Manifest newest = createWithCommits(3);
        flipByte(FormatConstants.MANIFEST_PAGE_BYTES + 4092); // checksum of copy B
        ManifestFile.Read r = ManifestFile.read(file());
        assertNull(r.b());
        assertEquals(newest, r.newest());
    }

    @Test
    void aTornWriteOfTheNextCommitLeavesThePreviousOne() throws IOException {
        Manifest newest = createWithCommits(2); // sequence 3 in copy B
        Manifest next = newest.next(Manifest.State.CLEAN, 9999, newest.committedLengths());
        ByteBuffer page = next.encode();
        writeAt(0, page.slice(0, 2048)); // only the first half of copy A reached the disk
        assertEquals(newest, ManifestFile.read(file()).newest());
        writeAt(0, next.encode());
        assertEquals(next, ManifestFile.read(file()).newest());
    }

    @Test
    void bothCopiesDamagedIsCorrupt() throws IOException {
        createWithCommits(1);
        flipByte(100);
        flipByte(FormatConstants.MANIFEST_PAGE_BYTES + 100);
        CorruptIndexException e = assertThrows(CorruptIndexException.class, () -> ManifestFile.read(file()));
        assertEquals(file(), e.file());
    }

    @Test
    void aCopyInTheWrongSlotIsIgnored() throws IOException {
        Manifest newest = createWithCommits(1); // sequence 2 in A, 1 in B
        // A valid page with an even sequence in slot B was not written by a commit: it must not win.
        writeAt(FormatConstants.MANIFEST_PAGE_BYTES, newest.next(Manifest.State.OPEN, newest.committedCount(), 0,
                newest.committedLengths()).next(Manifest.State.OPEN, newest.committedCount(), 0,
                newest.committedLengths()).encode());
        ManifestFile.Read r = ManifestFile.read(file());
        assertNull(r.b());
        assertEquals(newest, r.newest());
    }

    @Test
    void copiesOfDifferentIndexesAreCorrupt() throws IOException {
        Manifest newest = createWithCommits(1); // sequence 2 in A
        Manifest other = new Manifest(3, newest.indexId() + 1, newest.dimension(), newest.metricCode(),
                newest.maxDegree(), newest.state(), newest.committedCount(), newest.extentSlots(),
                newest.entryPoint(), newest.buildBeamWidth(), newest.alpha(), newest.committedLengths());
        writeAt(FormatConstants.MANIFEST_PAGE_BYTES, other.encode());
        assertThrows(CorruptIndexException.class, () -> ManifestFile.read(file()));
    }

    @Test
    void newerFormatInEitherCopyIsTooNew() throws IOException {
        createWithCommits(1);
        ByteBuffer a = ByteBuffer.allocate(FormatConstants.MANIFEST_PAGE_BYTES);
        try (FileChannel ch = FileChannel.open(file(), StandardOpenOption.READ)) {
            ch.read(a, FormatConstants.MANIFEST_PAGE_BYTES);
        }
        writeAt(FormatConstants.MANIFEST_PAGE_BYTES,
                ManifestTest.withInt(a.flip(), Manifest.OFF_VERSION, FormatConstants.FORMAT_VERSION + 1, true));
        assertThrows(IndexFormatTooNewException.class, () -> ManifestFile.read(file()));
    }

    @Test
    void olderFormatIsTooOld() throws IOException {
        ManifestFile.create(file(), ManifestTest.sample(0));
        for (int page = 0; page < 2; page++) {
            Manifest m = ManifestTest.sample(page);
            writeAt((long) page * FormatConstants.MANIFEST_PAGE_BYTES,
                    ManifestTest.withInt(m.encode(), Manifest.OFF_VERSION, 0, true));
        }
        assertThrows(IndexFormatTooOldException.class, () -> ManifestFile.read(file()));
    }

    @Test
    void shortFilesAreTruncatedUnlessTheyAreNewer() throws IOException {
        createWithCommits(1);
        // Descending: truncate only shrinks.
        for (long len : new long[] {8191, 4097, 4096, 4095, 100, 8, 7, 1, 0}) {
            try (FileChannel ch = FileChannel.open(file(), StandardOpenOption.WRITE)) {
                ch.truncate(len);
            }
            TruncatedIndexException e = assertThrows(TruncatedIndexException.class, () -> ManifestFile.read(file()),
                    "length " + len);
            assertEquals(FormatConstants.MANIFEST_FILE_BYTES, e.expectedBytes());
            assertEquals(len, e.actualBytes());
        }
        // A newer format with a smaller manifest is reported as newer, not as cut short.
        Files.delete(file());
        ByteBuffer head = ByteBuffer.allocate(16).order(FormatConstants.BYTE_ORDER);
        head.putInt(0, FormatConstants.MANIFEST_MAGIC).putInt(4, FormatConstants.FORMAT_VERSION + 1);
        Files.write(file(), head.array());
        assertThrows(IndexFormatTooNewException.class, () -> ManifestFile.read(file()));
    }
}
