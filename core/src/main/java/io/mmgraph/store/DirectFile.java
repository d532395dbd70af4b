package io.mmgraph.store;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A file read with {@code O_DIRECT} ({@code ExtendedOpenOption.DIRECT}): reads go from the disk to our buffers and
 * bypass the page cache, so a reader under a memory limit neither fills the cache nor waits for it to be reclaimed.
 * The kernel requires the buffer address, the file offset and the length to be multiples of the file system's block
 * size; each reading thread gets its own aligned buffer, allocated from this file's arena and kept until close (so
 * read from a bounded set of threads, not from a virtual thread per read), and a read of any byte range is widened to
 * whole blocks.
 *
 * <p>Thread-safe: positional reads from any number of threads at once (that is how a beam's records are read in
 * parallel). {@link #close} frees the buffers; a read racing it fails with an {@link IllegalStateException}.
 */
public final class DirectFile implements AutoCloseable {
    /** Largest record span one read serves (a 16,384-d vector is 64 KiB); buffers hold this plus one block. */
    public static final int MAX_READ = 64 * 1024;

    private final Path path;
    private final FileChannel channel;
    private final int blockSize;
    private final Arena arena = Arena.ofShared();
    private final ThreadLocal<ByteBuffer> buffers;

    private DirectFile(Path path, FileChannel channel, int blockSize) {
        this.path = path;
        this.channel = channel;
        this.blockSize = blockSize;
        this.buffers = ThreadLocal.withInitial(() -> arena.allocate(MAX_READ + 2L * blockSize, blockSize).asByteBuffer());
    }

    /**
     * Opens {@code path} for direct reads.
     *
     * @throws IOException naming the file and its file system where direct I/O is not available (tmpfs, for one)
     */
    public static DirectFile open(Path path) throws IOException {
        int block;
        FileChannel channel;
        try {
            block = (int) Math.max(512, Math.min(64 * 1024, Files.getFileStore(path).getBlockSize()));
            channel = FileChannel.open(path, StandardOpenOption.READ, com.sun.nio.file.ExtendedOpenOption.DIRECT);
        } catch (UnsupportedOperationException | IOException e) {
            if (e instanceof java.nio.file.NoSuchFileException nsf) {
                throw nsf;
            }
            String fs = "?";
            try {
                fs = Files.getFileStore(path).type();
            } catch (IOException ignored) {
                // keep "?"
            }
            throw new IOException("direct I/O (O_DIRECT) is not available for " + path + " on its " + fs
                    + " file system: " + e.getMessage(), e);
        }
        return new DirectFile(path, channel, block);
    }

    /**
     * Reads {@code length} (at most {@link #MAX_READ}) bytes at file offset {@code offset} into {@code dst} at
     * {@code dstOffset}: the enclosing blocks are read into this thread's aligned buffer, then the range is copied.
     *
     * @throws ShortFileException when the file ends before the range does
     */
    public void read(long offset, int length, byte[] dst, int dstOffset) throws IOException {
        if (length > MAX_READ) {
            throw new IllegalArgumentException("a direct read of " + length + " bytes exceeds " + MAX_READ);
        }
        long start = offset / blockSize * blockSize;
        long end = (offset + length + blockSize - 1) / blockSize * blockSize;
        ByteBuffer buffer = buffers.get().clear().limit((int) (end - start));
        int got = 0;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, start + got);
            if (n < 0) {
                break;
            }
            got += n;
        }
        long needed = offset + length - start;
        if (got < needed) {
            throw new ShortFileException(path, offset + length, start + got);
        }
        MemorySegment.copy(MemorySegment.ofBuffer(buffer.clear()), ValueLayout.JAVA_BYTE, offset - start, dst,
                dstOffset, length);
    }

    public int blockSize() {
        return blockSize;
    }

    public Path path() {
        return path;
    }

    @Override
    public void close() throws IOException {
        try {
            channel.close();
        } finally {
            arena.close();
        }
    }
}
