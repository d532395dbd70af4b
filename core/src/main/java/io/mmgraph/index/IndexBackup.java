package io.mmgraph.index;

import io.mmgraph.format.CodebookFile;
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
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;

/**
 * Copies one commit of an index to another directory while a writer may go on writing: {@code mmgraph backup}.
 *
 * <p>Why a plain copy of prefixes is consistent: vectors, their checksums and codes are append-only, so the bytes
 * of a commit's records never change once the commit is written (later commits only append past them), and a
 * committed codebook is never replaced. Neighbour lists are rewritten in place by the writer, so a copy may hold a
 * list half old, half new, or naming nodes the commit does not have; the copy's manifest therefore says the index
 * was not closed cleanly, and opening the copy for writing (done here, before the copy is reported) repairs every
 * list exactly as after a crash (docs/design.md, "Neighbour-list consistency"). The result is verified.
 *
 * <p>What a backup taken under a busy writer can lose is graph quality, not data: a committed node whose list the
 * writer re-pruned during the copy, in favour of nodes the commit does not hold, keeps fewer neighbours after the
 * repair (as after a crash at that moment). Searches still work; a backup of a quiet index is exact.
 */
public final class IndexBackup {
    /** What a backup copied. */
    public record Report(long committedCount, long bytesCopied, double seconds, VerifyReport verify) {
    }

    private IndexBackup() {}

    /**
     * Copies the newest commit of the index in {@code dir} to {@code out}, which must not exist or be empty, repairs
     * and verifies the copy. Readers and a writer may use {@code dir} meanwhile.
     *
     * @throws IndexNotFoundException       if {@code dir} holds no index
     * @throws FileAlreadyExistsException  if {@code out} is not empty
     */
    public static Report copy(Path dir, Path out) throws IOException {
        long t0 = System.nanoTime();
        Path manifestPath = FormatConstants.manifestPath(dir);
        if (!Files.exists(manifestPath)) {
            throw new IndexNotFoundException(dir);
        }
        if (Files.exists(out)) {
            try (Stream<Path> entries = Files.list(out)) {
                if (entries.findAny().isPresent()) {
                    throw new FileAlreadyExistsException(out.toString(), null, "a backup goes to a new or empty directory");
                }
            }
        }
        Files.createDirectories(out);
        try {
            return copyInto(dir, out, t0);
        } catch (IOException | RuntimeException e) {
            // Leave OUT empty, as it was, so that the backup can simply be run again.
            try (Stream<Path> left = Files.list(out)) {
                for (Path f : left.toList()) {
                    Files.deleteIfExists(f);
                }
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    private static Report copyInto(Path dir, Path out, long t0) throws IOException {
        Manifest m = ManifestFile.read(FormatConstants.manifestPath(dir)).newest();
        long bytes = 0;
        for (FileKind kind : m.kinds()) {
            long records = m.mappedRecords(kind); // reserved as opening checks: codes too, before training
            bytes += copyCommitted(m.path(dir, kind), m.path(out, kind),
                    m.committedLength(kind), IndexFiles.layout(kind, m), records);
        }
        if (m.codedCount() > 0) {
            Path codebook = FormatConstants.codebookPath(dir);
            long size = Files.size(codebook);
            bytes += copyCommitted(codebook, FormatConstants.codebookPath(out), size, null, 0);
            CodebookFile.read(out, m.codebookCrc()); // the commit's codebook, whole (else a named error)
        }
        // Payload field columns are derived, like the id table: the copy gets each indexed field's empty column, which
        // the writer below fills from the copied payloads.
        for (var column : FieldIndexes.columnFiles(dir, m.generation()).entrySet()) {
            io.mmgraph.format.FieldColumn.create(out.resolve(column.getValue().getFileName()), column.getKey(),
                    m.indexId(), m.extentSlots()).close();
        }
        // Not closed cleanly: the first writer repairs the lists, which the copy may have caught mid-rewrite.
        Manifest copy = new Manifest(0, m.indexId(), m.dimension(), m.metricCode(), m.maxDegree(),
                Manifest.State.OPEN, m.committedCount(), m.extentSlots(), m.entryPoint(), m.buildBeamWidth(),
                m.alpha(), m.committedLengths(), m.codeBytes(), m.codedCount(), m.codebookCrc(), m.codeTrainSize(),
                m.deleteCount(), m.docBytes(), m.generation());
        io.mmgraph.store.Directories.force(out); // the data files' entries, before a manifest names them
        ManifestFile.create(FormatConstants.manifestPath(out), copy);
        try (MMapGraph writer = MMapGraph.open(out)) {
            if (writer.size() != m.committedCount()) {
                throw new IOException("backup of " + dir + ": the copy holds " + writer.size() + " vectors, the commit "
                        + m.committedCount());
            }
        }
        Files.deleteIfExists(out.resolve(FormatConstants.LOCK_FILE));
        VerifyReport verify;
        try (MMapGraph reader = MMapGraph.openReadOnly(out)) {
            verify = reader.verify();
        }
        return new Report(m.committedCount(), bytes, (System.nanoTime() - t0) / 1e9, verify);
    }

    /**
     * Copies the first {@code committed} bytes of a file and, for a data file ({@code layout} not null), gives the
     * copy whole extents, reserved and zero past the commit, so that it maps like the original; synced.
     */
    private static long copyCommitted(Path from, Path to, long committed, SlotLayout layout, long records)
            throws IOException {
        long length = layout == null || records == 0 ? committed
                : layout.extentStart(layout.extentOf(records - 1)) + layout.extentBytes();
        try (FileChannel in = FileChannel.open(from, StandardOpenOption.READ);
             FileChannel outCh = FileChannel.open(to, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            if (in.size() < committed) {
                throw new io.mmgraph.format.TruncatedIndexException(from, committed, in.size());
            }
            for (long at = 0; at < committed; ) {
                at += in.transferTo(at, committed - at, outCh);
            }
            if (length > committed) {
                // Reserved, not a hole: a mapped extent must have its blocks (else a full disk would be a SIGBUS).
                int rc = io.mmgraph.store.NativeIO.fallocate(to.toString(), committed, length - committed);
                if (rc == io.mmgraph.store.NativeIO.ENOSPC) {
                    throw new io.mmgraph.store.DiskFullException(to, committed, length - committed);
                }
                if (rc != 0) {
                    ByteBuffer zeros = ByteBuffer.allocate(64 * 1024);
                    for (long at = committed; at < length; ) {
                        zeros.clear().limit((int) Math.min(zeros.capacity(), length - at));
                        at += outCh.write(zeros, at);
                    }
                }
            }
            outCh.force(true);
        }
        return committed;
    }
}
