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
        Manifest m = ManifestFile.read(manifestPath).newest();
        long bytes = 0;
        for (FileKind kind : IndexFiles.kinds(m.codeBytes())) {
            long records = kind == FileKind.CODES ? m.codedCount() : m.committedCount();
            bytes += copyCommitted(dir.resolve(kind.fileName()), out.resolve(kind.fileName()),
                    m.committedLength(kind), IndexFiles.layout(kind, m), records);
        }
        if (m.codedCount() > 0) {
            Path codebook = FormatConstants.codebookPath(dir);
            Files.copy(codebook, FormatConstants.codebookPath(out));
            CodebookFile.read(out, m.codebookCrc()); // the commit's codebook, whole (else a named error)
            bytes += Files.size(codebook);
        }
        // Not closed cleanly: the first writer repairs the lists, which the copy may have caught mid-rewrite.
        Manifest copy = new Manifest(0, m.indexId(), m.dimension(), m.metricCode(), m.maxDegree(),
                Manifest.State.OPEN, m.committedCount(), m.extentSlots(), m.entryPoint(), m.buildBeamWidth(),
                m.alpha(), m.committedLengths(), m.codeBytes(), m.codedCount(), m.codebookCrc(), m.codeTrainSize());
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
     * Copies the first {@code committed} bytes of a data file and gives the copy whole extents (zeros past the
     * commit, as a hole), so that it maps like the original; synced.
     */
    private static long copyCommitted(Path from, Path to, long committed, SlotLayout layout, long records)
            throws IOException {
        long length = records == 0 ? committed
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
                outCh.write(ByteBuffer.allocate(1), length - 1); // the rest of the last extent reads as zeros
            }
            outCh.force(true);
        }
        return committed;
    }
}
