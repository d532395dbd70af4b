package io.mmgraph.store;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Off-heap memory for data a process keeps whole and reads at random, such as product-quantization codes: private
 * anonymous mappings aligned to {@link #HUGE_PAGE_BYTES} and advised {@code MADV_HUGEPAGE}, so that where the kernel
 * allows (Linux with transparent huge pages set to {@code madvise} or {@code always}) each 2 MiB is one page and one
 * TLB entry instead of 512. Where the OS has no such mapping or hint, the memory comes from an {@link Arena} with
 * ordinary pages; callers see no difference but speed.
 *
 * <p>The memory is not part of the Java heap ({@code -Xmx} does not bound it) but is counted in the process's RSS
 * and in its memory cgroup. Every segment handed out is released by {@link #close}, after which accessing it throws
 * {@link IllegalStateException} (the arena is shared: closing waits for no reader, but no reader can touch freed
 * memory). Thread-safe.
 */
public final class AnonymousMemory implements AutoCloseable {
    /** The transparent huge page size on x86-64 and most arm64 kernels (the PMD size with 4 KiB base pages). */
    public static final long HUGE_PAGE_BYTES = 2L << 20;

    private final Arena arena = Arena.ofShared();
    private volatile boolean hugePagesAdvised = true;
    /** Guards allocation against close: a segment is never attached to a closing arena. */
    private final Object lock = new Object();
    private boolean closed;

    /**
     * Whether this platform maps anonymous memory here ({@code mmap} found and native access allowed); without it,
     * {@link #allocate} falls back to {@link Arena#allocate}, which zeroes (and so touches) every byte at once.
     */
    public static boolean mappingAvailable() {
        return NativeIO.anonymousMappingAvailable();
    }

    /**
     * A zeroed segment of {@code bytes}, starting on a huge-page boundary where anonymous mappings are available.
     * Pages are allocated when first written.
     */
    public MemorySegment allocate(long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("bytes " + bytes + " must be positive");
        }
        // Map one huge page more than asked, so that an aligned start fits; the untouched slack costs address space
        // only.
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("anonymous memory already closed");
            }
            long reserved = bytes + HUGE_PAGE_BYTES;
            long base = NativeIO.mapAnonymous(reserved);
            if (base == 0) {
                hugePagesAdvised = false;
                return arena.allocate(bytes, NativeIO.PAGE_SIZE);
            }
            long aligned = (base + HUGE_PAGE_BYTES - 1) & -HUGE_PAGE_BYTES;
            // Advised before any touch, so that the first write into each 2 MiB faults in a huge page (where the
            // kernel has one free); through a view the arena does not own, so no native call ever holds the arena.
            if (NativeIO.madvise(MemorySegment.ofAddress(aligned).reinterpret(bytes), AccessHint.HUGEPAGE) != 0) {
                hugePagesAdvised = false;
            }
            return MemorySegment.ofAddress(aligned).reinterpret(bytes, arena, s -> NativeIO.unmap(base, reserved));
        }
    }

    /** Whether every segment so far was advised {@code MADV_HUGEPAGE} (the kernel may still use base pages). */
    public boolean hugePagesAdvised() {
        return hugePagesAdvised;
    }

    /** Unmaps every segment handed out. Idempotent. */
    @Override
    public void close() {
        synchronized (lock) {
            if (!closed) {
                closed = true;
                Arenas.close(arena);
            }
        }
    }
}
