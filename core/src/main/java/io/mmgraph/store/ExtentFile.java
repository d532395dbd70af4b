package io.mmgraph.store;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * A file that grows in fixed-size extents after a fixed prologue, each extent mapped exactly once through
 * {@link FileChannel#map(FileChannel.MapMode, long, long, Arena)} and never unmapped until {@link #close()}
 * (DESIGN.md §1, §3). Knows bytes only: what the records in it mean is the {@code format} package's business.
 *
 * <p>Invariants:
 * <ol>
 *   <li>An extent is mapped only once its whole byte range exists in the file: a writer reserves it with
 *       {@code posix_fallocate} (or by writing zeros) first, so a full disk fails here with
 *       {@link DiskFullException} and never as a SIGBUS on a later store; a reader refuses a file shorter than its
 *       extents with {@link ShortFileException}.</li>
 *   <li>{@link #extent(int)} reads a volatile array that only ever grows by copy, so a searcher on any thread sees
 *       either the old or the new set of mappings, both valid until close.</li>
 *   <li>This object is the one owner of the {@link Arena} of all its mappings; closing it unmaps them all, after
 *       which any access through a segment fails with an {@link IllegalStateException} instead of touching freed
 *       memory.</li>
 * </ol>
 * Thread-safety: {@link #extent(int)} and {@link #extentCount()} from any thread; growth, {@link #force} and
 * {@link #advise} are serialized by the caller's writer lock (growth is also synchronized here).
 */
public final class ExtentFile implements AutoCloseable {
    private static final int ZERO_CHUNK = 1 << 20;
    /** {@code -Dmmgraph.prefault=false} turns off pre-faulting of fresh extents (to measure what it buys). */
    private static final boolean PREFAULT_FRESH_EXTENTS =
            !"false".equals(System.getProperty("mmgraph.prefault"));

    /**
     * The access policy every mapping starts with: the kernel's {@link AccessHint#NORMAL} unless
     * {@code -Dmmgraph.advice=RANDOM} (or {@code SEQUENTIAL}) says otherwise; {@link #advise} changes it per file. With
     * NORMAL a fault on an uncached page reads around it (up to {@code read_ahead_kb}), which loads an index that fits
     * in memory ten times faster from cold than RANDOM's one page per fault, and wastes reads on one that does not
     * (docs/benchmarks.md, "Access policy").
     */
    public static final AccessHint DEFAULT_POLICY = defaultPolicy(System.getProperty("mmgraph.advice"));

    /** The system property that overrides {@link #DEFAULT_POLICY}; when it is set, indexes keep it for every file. */
    public static final String ADVICE_PROPERTY = "mmgraph.advice";

    static AccessHint defaultPolicy(String property) {
        if (property == null || property.isBlank()) {
            return AccessHint.NORMAL;
        }
        AccessHint h = AccessHint.valueOf(property.trim().toUpperCase(java.util.Locale.ROOT));
        if (h != AccessHint.NORMAL && h != AccessHint.RANDOM && h != AccessHint.SEQUENTIAL) {
            throw new IllegalArgumentException("mmgraph.advice must be NORMAL, RANDOM or SEQUENTIAL, not " + property);
        }
        return h;
    }

    private final Path path;
    private final FileChannel channel;
    private final MapMode mode;
    private final long dataOffset;
    private final long extentBytes;
    private final Arena arena = Arena.ofShared();
    private volatile MemorySegment[] extents = new MemorySegment[0];
    /** The policy applied to every extent, including those mapped later; null where the platform has none. */
    private volatile AccessHint hint = NativeIO.madviseAvailable() ? DEFAULT_POLICY : null;
    /**
     * Whether extents, including those mapped later, are advised {@code MADV_HUGEPAGE}: a flag of its own, because on
     * Linux huge pages combine with the access policy rather than replace it.
     */
    private volatile boolean hugePages;
    private volatile boolean closed;

    private ExtentFile(Path path, FileChannel channel, MapMode mode, long dataOffset, long extentBytes) {
        this.path = path;
        this.channel = channel;
        this.mode = mode;
        this.dataOffset = dataOffset;
        this.extentBytes = extentBytes;
    }

    /** Creates a new file holding {@code prologue} and no extents, durable on return. */
    public static ExtentFile create(Path path, ByteBuffer prologue, long extentBytes) throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            long at = 0;
            ByteBuffer b = prologue.duplicate();
            long dataOffset = b.remaining();
            while (b.hasRemaining()) {
                at += ch.write(b, at);
            }
            ch.force(true);
            DurabilityRecorder.written(path, 0, prologue);
            DurabilityRecorder.lengthSynced(path, at);
            return new ExtentFile(path, ch, MapMode.READ_WRITE, dataOffset, extentBytes);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** Opens an existing file; maps nothing until {@link #mapExtents(int)}. */
    public static ExtentFile open(Path path, MapMode mode, long dataOffset, long extentBytes) throws IOException {
        FileChannel ch = mode == MapMode.READ_ONLY
                ? FileChannel.open(path, StandardOpenOption.READ)
                : FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        return new ExtentFile(path, ch, mode, dataOffset, extentBytes);
    }

    /** Reads up to {@code length} bytes from offset 0 (fewer when the file is shorter). */
    public ByteBuffer readPrologue(int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        while (b.hasRemaining()) {
            if (channel.read(b, b.position()) < 0) {
                break;
            }
        }
        return b.flip();
    }

    public Path path() {
        return path;
    }

    public long extentBytes() {
        return extentBytes;
    }

    public long size() throws IOException {
        return channel.size();
    }

    /** The mapping of extent {@code e}; {@code e < extentCount()}. */
    public MemorySegment extent(int e) {
        return extents[e];
    }

    public int extentCount() {
        return extents.length;
    }

    /** File offset where extent {@code e} begins. */
    public long extentStart(int e) {
        return dataOffset + e * extentBytes;
    }

    /**
     * Maps extents until {@code count} are mapped. A writer first reserves each new extent's space; a reader
     * requires it to exist already.
     */
    public synchronized void mapExtents(int count) throws IOException {
        ensureOpen();
        MemorySegment[] current = extents;
        if (count <= current.length) {
            return;
        }
        MemorySegment[] grown = Arrays.copyOf(current, count);
        long size = channel.size();
        if (current.length > 0 && size < extentStart(current.length)) {
            // Cut under our mappings by someone else: growing from here would re-extend the file with zeros where
            // mapped (and maybe committed) records were. Refuse, naming the file.
            throw new ShortFileException(path, extentStart(current.length), size);
        }
        for (int e = current.length; e < count; e++) {
            long start = extentStart(e);
            long end = start + extentBytes;
            boolean fresh = size < end;
            if (fresh) {
                if (mode != MapMode.READ_WRITE) {
                    throw new ShortFileException(path, end, size);
                }
                reserve(Math.max(start, size), end - Math.max(start, size));
                size = end;
            }
            MemorySegment segment = channel.map(jdkMode(), start, extentBytes, arena);
            AccessHint h = hint;
            if (h != null && h != AccessHint.NORMAL) {
                adviseOne(segment, h); // before any fault: the policy decides how faults fill the page cache
            }
            if (hugePages) {
                adviseOne(segment, AccessHint.HUGEPAGE);
            }
            if (fresh && PREFAULT_FRESH_EXTENTS) {
                // Appends fill a new extent front to back: fault its pages in once, in the kernel, rather than one
                // write fault per page (docs/benchmarks.md). Only fresh extents: populating existing ones would read
                // the whole index in. Best effort: kernels before 5.14 say EINVAL.
                NativeIO.populateWrite(segment);
            }
            grown[e] = segment;
        }
        extents = grown;
    }

    private FileChannel.MapMode jdkMode() {
        return switch (mode) {
            case READ_WRITE -> FileChannel.MapMode.READ_WRITE;
            case READ_ONLY -> FileChannel.MapMode.READ_ONLY;
            case PRIVATE -> FileChannel.MapMode.PRIVATE;
        };
    }

    /** Reserves {@code [offset, offset + length)} on disk, extending the file; invariant 1. */
    private void reserve(long offset, long length) throws IOException {
        int rc = NativeIO.fallocate(path.toString(), offset, length);
        if (rc == 0) {
            return;
        }
        if (rc == NativeIO.ENOSPC) {
            throw new DiskFullException(path, offset, length);
        }
        if (rc != NativeIO.UNSUPPORTED && rc != NativeIO.EOPNOTSUPP_LINUX && rc != NativeIO.EINVAL
                && rc != NativeIO.ENOTSUP_MAC) {
            throw new IOException("posix_fallocate(" + path + ", " + offset + ", " + length + ") failed: errno " + rc);
        }
        writeZeros(offset, length);
    }

    /** The portable reservation: writing the range allocates its blocks on file systems that are not copy-on-write. */
    private void writeZeros(long offset, long length) throws IOException {
        ByteBuffer zeros = ByteBuffer.allocateDirect((int) Math.min(ZERO_CHUNK, length));
        long at = offset;
        long end = offset + length;
        try {
            while (at < end) {
                zeros.clear().limit((int) Math.min(zeros.capacity(), end - at));
                while (zeros.hasRemaining()) {
                    at += channel.write(zeros, at);
                }
            }
        } catch (IOException e) {
            String msg = String.valueOf(e.getMessage());
            if (msg.contains("No space left")) {
                DiskFullException full = new DiskFullException(path, offset, length);
                full.initCause(e);
                throw full;
            }
            throw e;
        }
    }

    /**
     * Writes {@code bytes} at {@code offset} of the prologue (the bytes before the first extent, which are not mapped)
     * with a positional write; with {@code sync}, fdatasync follows and the bytes are durable on return.
     */
    public void writePrologue(long offset, ByteBuffer bytes, boolean sync) throws IOException {
        ensureOpen();
        if (offset < 0 || offset + bytes.remaining() > dataOffset) {
            throw new IllegalArgumentException("prologue write [" + offset + ", " + (offset + bytes.remaining())
                    + ") outside [0, " + dataOffset + ")");
        }
        ByteBuffer b = bytes.duplicate();
        for (long at = offset; b.hasRemaining(); ) {
            at += channel.write(b, at);
        }
        if (sync) {
            channel.force(false);
            DurabilityRecorder.written(path, offset, bytes);
        }
    }

    /** msync: makes {@code [offset, offset + length)} of extent {@code e} durable. */
    public void force(int e, long offset, long length) {
        ensureOpen();
        if (length > 0) {
            extents[e].asSlice(offset, length).force();
            DurabilityRecorder.msynced(path, extentStart(e) + offset, extents[e], offset, length);
        }
    }

    /** Makes metadata (the file length after growth) durable too. */
    public void forceMetadata() throws IOException {
        ensureOpen();
        channel.force(true);
        if (DurabilityRecorder.listener() != null) {
            DurabilityRecorder.lengthSynced(path, channel.size());
        }
    }

    /**
     * Applies {@code hint} to every mapped extent and to those mapped later. Returns false when this platform or
     * file system does not support it (a no-op); throws when the kernel refuses it for another reason.
     */
    public boolean advise(AccessHint newHint) throws IOException {
        ensureOpen();
        boolean supported = true;
        for (MemorySegment segment : extents) {
            supported &= adviseOne(segment, newHint);
        }
        // WILLNEED is a one-off read request, not a lasting policy for extents mapped later; HUGEPAGE is kept beside
        // the policy.
        if (newHint == AccessHint.HUGEPAGE) {
            hugePages = supported;
        } else if (newHint != AccessHint.WILLNEED) {
            hint = supported ? newHint : null;
        }
        return supported && (extents.length > 0 || NativeIO.madviseAvailable());
    }

    private boolean adviseOne(MemorySegment segment, AccessHint h) throws IOException {
        int rc = h == AccessHint.WILLNEED ? NativeIO.willNeed(segment, segment.byteSize()) : NativeIO.madvise(segment, h);
        if (rc == 0) {
            return true;
        }
        if (rc == NativeIO.UNSUPPORTED || rc == NativeIO.EINVAL) {
            // EINVAL: e.g. MADV_HUGEPAGE on a file system without huge-page support.
            return false;
        }
        throw new IOException("madvise(" + h + ") on " + path + " failed: errno " + rc);
    }

    /** Residency of the first {@code length} bytes of extent {@code e} (mincore). */
    public Residency residency(int e, long length) {
        ensureOpen();
        long pages = NativeIO.residentPages(extents[e].asSlice(0, length));
        return new Residency(length, pages == NativeIO.UNSUPPORTED ? -1 : Math.min(length, pages * NativeIO.PAGE_SIZE));
    }

    /**
     * Brings the first {@code length} bytes of extent {@code e} into memory: {@code madvise(WILLNEED)} starts the
     * reads (the kernel may issue them in parallel and in large requests), then one load per page waits for each
     * and makes the pages resident even where the hint is missing or ignored. Returns a value derived from the
     * loads, so that the JIT cannot drop them.
     */
    public long load(int e, long length) {
        ensureOpen();
        MemorySegment segment = extents[e];
        NativeIO.willNeed(segment, length); // best effort: the loads below do the work anyway
        long sum = 0;
        for (long at = 0; at < length; at += NativeIO.PAGE_SIZE) {
            sum += segment.get(java.lang.foreign.ValueLayout.JAVA_BYTE, at);
        }
        return sum;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("file " + path + " is closed");
        }
    }

    /** Unmaps every extent and closes the file. Idempotent. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        // The segments stay in the array: a racing reader must meet the closed arena's IllegalStateException
        // (invariant 3), not an index error from an emptied array.
        try {
            Arenas.close(arena);
        } finally {
            channel.close();
        }
    }
}
