package io.mmgraph.format;

import io.mmgraph.quant.CorruptCodebookException;
import io.mmgraph.quant.ProductQuantizer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * {@code codebook.mmg}: the product quantizer of an index with codes, in {@link ProductQuantizer}'s serialized form
 * (docs/format.md). Written once, when the quantizer is trained, and durable before any commit names it; the
 * manifest binds it by the CRC32C of its bytes before the trailing checksum, so a codebook from another index or
 * another training is refused. (Not of the whole file: a CRC over a message followed by its own CRC is the same
 * constant for every message.)
 */
public final class CodebookFile {
    private CodebookFile() {}

    /**
     * Writes the codebook durably (a temporary file, synced, then renamed over any older one, and the directory
     * synced) and returns the CRC32C that identifies it, which the next commit records.
     */
    public static int write(Path dir, ProductQuantizer quantizer) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(quantizer.serializedBytes());
        quantizer.writeTo(bytes);
        bytes.flip();
        int crc = identity(bytes.array(), bytes.limit());
        Path target = FormatConstants.codebookPath(dir);
        Path temp = target.resolveSibling(target.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            while (bytes.hasRemaining()) {
                ch.write(bytes);
            }
            ch.force(true);
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        // Durable as a whole once the rename is (the directory sync below): the simulation sees it then.
        io.mmgraph.store.Directories.force(dir);
        if (io.mmgraph.store.DurabilityRecorder.listener() != null) {
            io.mmgraph.store.DurabilityRecorder.replaced(target, bytes.flip());
        }
        return crc;
    }

    /** CRC32C of the bytes before the trailing 4-byte checksum (of all of them when the file is that short). */
    private static int identity(byte[] bytes, int length) {
        return Crc.of(bytes, 0, Math.max(0, length - Integer.BYTES));
    }

    /**
     * Reads the codebook a manifest names by {@code expectedCrc}.
     *
     * @throws CorruptIndexException when the file is missing, does not match the CRC32C or does not decode
     */
    public static ProductQuantizer read(Path dir, int expectedCrc) throws IOException {
        Path file = FormatConstants.codebookPath(dir);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new CorruptIndexException(file, "the manifest names a codebook but the file is missing", e);
        }
        int crc = identity(bytes, bytes.length);
        if (crc != expectedCrc) {
            throw new CorruptIndexException(file, String.format(
                    "CRC32C 0x%08x of its first %d bytes does not match the manifest's 0x%08x", crc,
                    Math.max(0, bytes.length - Integer.BYTES), expectedCrc));
        }
        try {
            return ProductQuantizer.readFrom(ByteBuffer.wrap(bytes));
        } catch (CorruptCodebookException e) {
            throw new CorruptIndexException(file, e.getMessage(), e);
        }
    }
}
