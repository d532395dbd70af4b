package io.mmgraph.format;

import io.mmgraph.store.Directories;
import io.mmgraph.store.DurabilityRecorder;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The two manifest copies (A/B) and the atomic commit they give, as in LMDB's two meta pages: a commit writes the
 * copy that does not hold the current state and makes it durable; open takes the valid copy with the highest
 * sequence. A torn write damages only the copy being written, whose checksum then fails, so the other copy (the
 * previous commit) wins.
 *
 * <p>The manifest is read and written with positional I/O rather than a mapping: it is two pages, and
 * {@link FileChannel#force} gives a plain, ordered durability point.
 */
public final class ManifestFile {
    private ManifestFile() {}

    /** What reading both copies found. {@code newest} is never null; a damaged copy is reported, not fatal. */
    public record Read(Manifest newest, Manifest a, Manifest b) {
        public boolean bothValid() {
            return a != null && b != null;
        }
    }

    /**
     * Creates the manifest with both copies valid (sequences 0 and 1), durable on return. Written to a temporary file,
     * synced, then renamed into place and the directory synced: a crash or power cut leaves no manifest (the folder
     * is not yet an index, and creating it again works) or a whole one, never a short one that would block both.
     */
    public static void create(Path file, Manifest first) throws IOException {
        if (Files.exists(file)) {
            throw new FileAlreadyExistsException(file.toString(), null, "a manifest exists already");
        }
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Manifest second = first.next(first.state(), first.committedCount(), first.committedLengths());
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            writePage(ch, first);
            writePage(ch, second);
            ch.force(true);
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
        Directories.force(file.toAbsolutePath().getParent());
        if (DurabilityRecorder.listener() != null) {
            ByteBuffer whole = ByteBuffer.allocate(FormatConstants.MANIFEST_FILE_BYTES);
            whole.put(first.encode()).put(second.encode()).flip();
            DurabilityRecorder.replaced(file, whole);
        }
    }

    /** Reads both copies; throws when neither is valid. */
    public static Read read(Path file) throws IOException {
        ByteBuffer all = ByteBuffer.allocate(FormatConstants.MANIFEST_FILE_BYTES);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            while (all.hasRemaining() && ch.read(all, all.position()) > 0) {
                // positional reads until both pages are in or the file ends
            }
            if (size < FormatConstants.MANIFEST_FILE_BYTES) {
                // Decode what there is first: a newer format must be reported as such, not as a short file.
                decodeQuietly(file, all, 0);
                throw new TruncatedIndexException(file, FormatConstants.MANIFEST_FILE_BYTES, size);
            }
        }
        Manifest a = Manifest.decode(file, all.slice(0, FormatConstants.MANIFEST_PAGE_BYTES));
        Manifest b = Manifest.decode(file, all.slice(FormatConstants.MANIFEST_PAGE_BYTES, FormatConstants.MANIFEST_PAGE_BYTES));
        if (a != null && a.pageIndex() != 0) {
            a = null; // a copy in the wrong slot was not written by us
        }
        if (b != null && b.pageIndex() != 1) {
            b = null;
        }
        if (a == null && b == null) {
            throw new CorruptIndexException(file, "both manifest copies are damaged (bad magic or CRC32C)");
        }
        if (a != null && b != null && a.indexId() != b.indexId()) {
            throw new CorruptIndexException(file, "manifest copies belong to different indexes");
        }
        Manifest newest = a == null ? b : b == null ? a : (a.sequence() > b.sequence() ? a : b);
        return new Read(newest, a, b);
    }

    private static void decodeQuietly(Path file, ByteBuffer all, int page) throws IOException {
        if (all.position() >= (page + 1) * FormatConstants.MANIFEST_PAGE_BYTES) {
            Manifest.decode(file, all.slice(page * FormatConstants.MANIFEST_PAGE_BYTES, FormatConstants.MANIFEST_PAGE_BYTES));
        } else if (all.position() >= 8) {
            ByteBuffer b = all.duplicate().order(FormatConstants.BYTE_ORDER);
            if (b.getInt(0) == FormatConstants.MANIFEST_MAGIC && b.getInt(4) > FormatConstants.FORMAT_VERSION) {
                throw new IndexFormatTooNewException(file, b.getInt(4));
            }
        }
    }

    /** Writes {@code m} to its copy and makes it durable. The caller made the data it describes durable first. */
    public static void commit(Path file, FileChannel ch, Manifest m) throws IOException {
        writePage(ch, m);
        ch.force(false);
        DurabilityRecorder.written(file, (long) m.pageIndex() * FormatConstants.MANIFEST_PAGE_BYTES, m.encode());
    }

    private static void writePage(FileChannel ch, Manifest m) throws IOException {
        ByteBuffer page = m.encode();
        long at = (long) m.pageIndex() * FormatConstants.MANIFEST_PAGE_BYTES;
        while (page.hasRemaining()) {
            at += ch.write(page, at);
        }
    }
}
