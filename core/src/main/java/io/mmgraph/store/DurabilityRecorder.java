package io.mmgraph.store;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * A test hook that hears every point at which mmgraph makes bytes durable — each {@code msync} of a mapped range,
 * each synced write of a manifest page, file header or codebook, each {@code fsync} that makes a file's length
 * durable — with the bytes made durable. A power-loss simulation rebuilds from these events alone the image a disk
 * could hold after a cut at any point, since only what a sync covered is sure to be there (docs/reliability.md,
 * "Power loss, simulated"). Off unless a test installs a listener: then each such call costs one volatile read.
 */
public final class DurabilityRecorder {
    /** What a power-loss simulation records. Called on the thread that synced, after the sync returned. */
    public interface Listener {
        /** {@code bytes} (whole pages for an msync) at {@code offset} of {@code file} are durable. */
        void durable(Path file, long offset, ByteBuffer bytes);

        /** {@code file}'s length {@code length} is durable. */
        void length(Path file, long length);

        /** {@code file} now holds exactly {@code contents}, whole (a synced file renamed into place, dir synced). */
        void replaced(Path file, ByteBuffer contents);
    }

    private static volatile Listener listener;

    private DurabilityRecorder() {}

    /** Installs {@code l} (null: none) for the whole JVM; tests only. */
    public static void install(Listener l) {
        listener = l;
    }

    /** The listener, or null (the production case). */
    public static Listener listener() {
        return listener;
    }

    /** Reports a durable range whose bytes are in {@code segment}, widened to whole pages as msync writes them. */
    static void msynced(Path file, long fileOffset, java.lang.foreign.MemorySegment segment, long offsetInSegment,
                        long length) {
        Listener l = listener;
        if (l == null || length <= 0) {
            return;
        }
        long page = NativeIO.PAGE_SIZE;
        long from = Math.max(0, (offsetInSegment & -page));
        long to = Math.min(segment.byteSize(), (offsetInSegment + length + page - 1) & -page);
        ByteBuffer copy = ByteBuffer.allocate((int) (to - from));
        java.lang.foreign.MemorySegment.copy(segment, from, java.lang.foreign.MemorySegment.ofBuffer(copy), 0, to - from);
        l.durable(file, fileOffset - offsetInSegment + from, copy);
    }

    /** Reports bytes written at {@code offset} and then synced. */
    public static void written(Path file, long offset, ByteBuffer bytes) {
        Listener l = listener;
        if (l != null) {
            ByteBuffer copy = ByteBuffer.allocate(bytes.remaining());
            copy.put(bytes.duplicate()).flip();
            l.durable(file, offset, copy);
        }
    }

    /** Reports a file that an atomic rename made durable with these contents. */
    public static void replaced(Path file, ByteBuffer contents) {
        Listener l = listener;
        if (l != null) {
            ByteBuffer copy = ByteBuffer.allocate(contents.remaining());
            copy.put(contents.duplicate()).flip();
            l.replaced(file, copy);
        }
    }

    /** Reports a file length made durable. */
    public static void lengthSynced(Path file, long length) {
        Listener l = listener;
        if (l != null) {
            l.length(file, length);
        }
    }
}
