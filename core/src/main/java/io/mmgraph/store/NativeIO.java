package io.mmgraph.store;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Locale;
import java.util.Optional;

/**
 * The few libc calls the JDK does not offer, through {@link Linker} downcalls (DESIGN.md §1): {@code madvise},
 * {@code mincore}, {@code posix_fallocate}, {@code posix_fadvise}, and {@code open}/{@code close} to get a descriptor for the last
 * two ({@code FileChannel} exposes none). Every call is optional: where the platform lacks a symbol the call
 * reports {@link #UNSUPPORTED} and callers fall back.
 *
 * <p>Thread-safe: method handles are immutable; each call confines its temporaries to its own arena.
 */
public final class NativeIO {
    private NativeIO() {}

    /** Returned by calls whose symbol or constant this platform lacks. */
    public static final int UNSUPPORTED = Integer.MIN_VALUE;

    static final boolean LINUX = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");
    static final boolean MAC = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("mac");

    public static final int EINVAL = 22;
    public static final int ENOSPC = 28;
    public static final int EOPNOTSUPP_LINUX = 95;
    public static final int ENOTSUP_MAC = 45;

    private static final int O_RDWR = 2;
    private static final int O_RDONLY = 0;
    private static final int POSIX_FADV_DONTNEED_LINUX = 4;

    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private static final MethodHandle MADVISE;
    private static final MethodHandle POSIX_FALLOCATE;
    private static final MethodHandle POSIX_FADVISE;
    private static final MethodHandle OPEN;
    private static final MethodHandle CLOSE;
    private static final MethodHandle MINCORE;
    private static final MethodHandle GETPAGESIZE;
    private static final MethodHandle MMAP;
    private static final MethodHandle MUNMAP;
    /** The OS page size: the unit of {@code madvise}, {@code mincore} and page-cache residency (4096 if unknown). */
    public static final long PAGE_SIZE;

    static {
        Linker linker = Linker.nativeLinker();
        SymbolLookup libc = linker.defaultLookup();
        Linker.Option errno = Linker.Option.captureCallState("errno");
        MADVISE = find(linker, libc, "madvise", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT), errno);
        // posix_fallocate and posix_fadvise return the error number instead of setting errno.
        POSIX_FALLOCATE = find(linker, libc, "posix_fallocate", FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
        POSIX_FADVISE = find(linker, libc, "posix_fadvise", FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
        // open is variadic; called without a mode argument, the fixed two-argument form is exact.
        OPEN = find(linker, libc, "open", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                ValueLayout.JAVA_INT), errno);
        CLOSE = find(linker, libc, "close", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        // Linux declares the vector unsigned char*, macOS char*: one byte per page either way, bit 0 = resident.
        MINCORE = find(linker, libc, "mincore", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));
        GETPAGESIZE = find(linker, libc, "getpagesize", FunctionDescriptor.of(ValueLayout.JAVA_INT));
        MMAP = find(linker, libc, "mmap", FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS,
                ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                ValueLayout.JAVA_LONG));
        MUNMAP = find(linker, libc, "munmap", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                ValueLayout.JAVA_LONG));
        PAGE_SIZE = pageSize();
    }

    private static long pageSize() {
        try {
            return GETPAGESIZE == null ? 4096 : (int) GETPAGESIZE.invokeExact();
        } catch (Throwable t) {
            return 4096;
        }
    }

    /**
     * How many of the pages spanned by {@code segment} are resident in memory ({@code mincore}): for a file mapping,
     * whether the file's page is in the page cache, whoever read it. The segment must start on a page boundary.
     * Returns the count, or {@link #UNSUPPORTED} where the call is missing or fails.
     */
    public static long residentPages(MemorySegment segment) {
        if (MINCORE == null || segment.byteSize() == 0) {
            return MINCORE == null ? UNSUPPORTED : 0;
        }
        long pages = (segment.byteSize() + PAGE_SIZE - 1) / PAGE_SIZE;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment vec = arena.allocate(pages);
            int rc = (int) MINCORE.invokeExact(segment, segment.byteSize(), vec);
            if (rc != 0) {
                return UNSUPPORTED;
            }
            long resident = 0;
            for (long i = 0; i < pages; i++) {
                resident += vec.get(ValueLayout.JAVA_BYTE, i) & 1;
            }
            return resident;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Linux reads at most one readahead window (the device's {@code read_ahead_kb}, 128 KiB by default) per
     * {@code MADV_WILLNEED} call and ignores the rest of the range (ResidencyTest measured 8 MiB of a 10 MiB range
     * with an 8 MiB window); so the range is requested window by window.
     */
    private static final long WILLNEED_CHUNK = 128 * 1024;

    /**
     * {@code madvise(WILLNEED)} over the first {@code length} bytes of {@code segment} (which starts on a page
     * boundary), in chunks so that the kernel starts reading the whole range. Returns 0, an errno value, or
     * {@link #UNSUPPORTED}.
     */
    public static int willNeed(MemorySegment segment, long length) {
        for (long at = 0; at < length; at += WILLNEED_CHUNK) {
            int rc = madvise(segment.asSlice(at, Math.min(WILLNEED_CHUNK, length - at)), AccessHint.WILLNEED);
            if (rc != 0) {
                return rc;
            }
        }
        return 0;
    }

    private static MethodHandle find(Linker linker, SymbolLookup lookup, String name, FunctionDescriptor fd,
                                     Linker.Option... options) {
        if (!LINUX && !MAC) {
            return null;
        }
        try {
            Optional<MemorySegment> symbol = lookup.find(name);
            return symbol.map(s -> linker.downcallHandle(s, fd, options)).orElse(null);
        } catch (RuntimeException e) {
            // IllegalCallerException when native access is disabled, or an unsupported ABI: run without hints.
            return null;
        }
    }

    /** madvise advice value for a hint on this OS, or {@link #UNSUPPORTED}. */
    static int adviceValue(AccessHint hint) {
        return switch (hint) {
            case NORMAL -> 0;
            case RANDOM -> 1;
            case SEQUENTIAL -> 2;
            case WILLNEED -> 3;
            case HUGEPAGE -> LINUX ? 14 : UNSUPPORTED;
        };
    }

    /**
     * {@code madvise(addr, length, advice)}. The segment must start on an OS page boundary (every extent mapping
     * does). Returns 0, an errno value, or {@link #UNSUPPORTED}.
     */
    public static int madvise(MemorySegment segment, AccessHint hint) {
        int advice = adviceValue(hint);
        return advice == UNSUPPORTED ? UNSUPPORTED : madvise(segment, advice);
    }

    /** {@code madvise} with a raw advice value; returns 0, an errno value, or {@link #UNSUPPORTED}. */
    private static int madvise(MemorySegment segment, int advice) {
        if (MADVISE == null) {
            return UNSUPPORTED;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int rc = (int) MADVISE.invokeExact(state, segment, segment.byteSize(), advice);
            return rc == 0 ? 0 : (int) ERRNO.get(state, 0L);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static final int PROT_READ_WRITE = 3;
    private static final int MAP_PRIVATE = 2;
    private static final int MAP_ANONYMOUS_LINUX = 0x20;
    private static final int MAP_ANONYMOUS_MAC = 0x1000;

    /**
     * Maps {@code length} bytes of private anonymous memory, readable and writable, zero until written; its pages
     * are allocated on first touch. Returns the mapping's address, or 0 where the call is missing or fails (the
     * caller falls back to {@link Arena#allocate}). Release it with {@link #unmap}.
     */
    static long mapAnonymous(long length) {
        if (MMAP == null || MUNMAP == null) {
            return 0;
        }
        int flags = MAP_PRIVATE | (LINUX ? MAP_ANONYMOUS_LINUX : MAP_ANONYMOUS_MAC);
        try {
            MemorySegment at = (MemorySegment) MMAP.invokeExact(MemorySegment.NULL, length, PROT_READ_WRITE, flags,
                    -1, 0L);
            long address = at.address();
            return address == -1L ? 0 : address; // MAP_FAILED
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Whether {@link #mapAnonymous} can work here. */
    static boolean anonymousMappingAvailable() {
        return MMAP != null && MUNMAP != null;
    }

    /** Unmaps {@code [address, address + length)}, mapped by {@link #mapAnonymous}. */
    static void unmap(long address, long length) {
        try {
            int rc = (int) MUNMAP.invokeExact(MemorySegment.ofAddress(address), length);
            if (rc != 0) {
                throw new IllegalStateException("munmap of " + length + " bytes at 0x" + Long.toHexString(address)
                        + " failed");
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static final int MADV_DONTNEED = 4;

    /**
     * Drops this process's page-table entries for a shared file mapping ({@code madvise(MADV_DONTNEED)}, Linux): the
     * data stays in the file and the page cache, and a later access faults it in again; but pages no process maps
     * can then be evicted ({@link #evictFromPageCache}), which skips mapped ones. Returns 0, an errno value, or
     * {@link #UNSUPPORTED}.
     */
    public static int unmapPages(MemorySegment segment) {
        return LINUX ? madvise(segment, MADV_DONTNEED) : UNSUPPORTED;
    }

    /** Linux's MADV_POPULATE_WRITE (5.14+): fault in, writable, every page of a range in one call. */
    private static final int MADV_POPULATE_WRITE_LINUX = 23;

    /**
     * Pre-faults every page of a writable shared mapping for writing ({@code MADV_POPULATE_WRITE}), so appends
     * into a fresh extent do not take one page fault per page. Returns 0, an errno value, or {@link #UNSUPPORTED}
     * (not Linux, or a kernel before 5.14: {@code EINVAL}).
     */
    public static int populateWrite(MemorySegment segment) {
        return LINUX ? madvise(segment, MADV_POPULATE_WRITE_LINUX) : UNSUPPORTED;
    }

    /**
     * Reserves {@code [offset, offset + length)} of {@code path} with {@code posix_fallocate}, extending the file.
     * Returns 0, an error number (e.g. {@link #ENOSPC}), or {@link #UNSUPPORTED}.
     */
    public static int fallocate(String path, long offset, long length) {
        if (POSIX_FALLOCATE == null || OPEN == null || CLOSE == null) {
            return UNSUPPORTED;
        }
        int fd = open(path, O_RDWR);
        if (fd < 0) {
            return UNSUPPORTED;
        }
        try {
            return (int) POSIX_FALLOCATE.invokeExact(fd, offset, length);
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            close(fd);
        }
    }

    /**
     * Asks the kernel to drop the file's cached pages ({@code POSIX_FADV_DONTNEED}), so the next read is cold.
     * Dirty pages are not dropped; sync first. Returns 0, an error number, or {@link #UNSUPPORTED}.
     */
    public static int evictFromPageCache(String path) {
        if (POSIX_FADVISE == null || OPEN == null || CLOSE == null || !LINUX) {
            return UNSUPPORTED;
        }
        int fd = open(path, O_RDONLY);
        if (fd < 0) {
            return UNSUPPORTED;
        }
        try {
            return (int) POSIX_FADVISE.invokeExact(fd, 0L, 0L, POSIX_FADV_DONTNEED_LINUX);
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            close(fd);
        }
    }

    /** Whether {@link #madvise} can reach the kernel on this platform. */
    public static boolean madviseAvailable() {
        return MADVISE != null;
    }

    private static int open(String path, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            return (int) OPEN.invokeExact(state, arena.allocateFrom(path), flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static void close(int fd) {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("native call failed", t);
    }
}
