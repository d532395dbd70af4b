package io.mmgraph.format;

import io.mmgraph.store.AccessHint;
import io.mmgraph.store.ExtentFile;
import io.mmgraph.store.MapMode;
import io.mmgraph.store.ShortFileException;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * A data file of fixed-size records: its {@link FileHeader}, its {@link SlotLayout} and the mapped extents that
 * hold the records. Gives the mapping and offset of an ordinal's record; what a record means is its user's.
 *
 * <p>Thread-safety as {@link ExtentFile}: lookups from any thread; growth and forcing by the single writer.
 */
public final class RecordFile implements AutoCloseable {
    private final FileKind kind;
    private final SlotLayout layout;
    private final ExtentFile file;

    private RecordFile(FileKind kind, SlotLayout layout, ExtentFile file) {
        this.kind = kind;
        this.layout = layout;
        this.file = file;
    }

    public static RecordFile create(Path dir, FileHeader header, SlotLayout layout) throws IOException {
        return createAt(dir.resolve(header.kind().fileName()), header, layout);
    }

    /** Creates the file at {@code path} rather than under its kind's name (a file built aside, then renamed). */
    public static RecordFile createAt(Path path, FileHeader header, SlotLayout layout) throws IOException {
        return new RecordFile(header.kind(), layout, ExtentFile.create(path, header.encodePrologue(),
                layout.extentBytes()));
    }

    /**
     * Opens the file, checks its header against the manifest (reading one block: open stays O(1)), and maps the
     * extents that hold {@code committedCount} records.
     */
    public static RecordFile open(Path path, FileKind kind, SlotLayout layout, long indexId, MapMode mode,
                                  long committedCount) throws IOException {
        ExtentFile file = ExtentFile.open(path, mode, FormatConstants.PROLOGUE_BYTES, layout.extentBytes());
        try {
            ByteBuffer block = file.readPrologue(FormatConstants.BLOCK_SIZE);
            FileHeader.decode(path, block).expect(path, kind, indexId, layout);
            long size = file.size();
            long committedLength = layout.lengthFor(committedCount);
            if (size < committedLength) {
                throw new TruncatedIndexException(path, committedLength, size);
            }
            RecordFile rf = new RecordFile(kind, layout, file);
            rf.mapFor(committedCount);
            return rf;
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
    }

    /** Maps (growing the file, for the writer) the extents that hold records {@code [0, count)}. */
    public void mapFor(long count) throws IOException {
        int needed = layout.extentsFor(count);
        if (needed > file.extentCount()) {
            try {
                file.mapExtents(needed);
            } catch (ShortFileException e) {
                throw new TruncatedIndexException(e.file(), e.expectedBytes(), e.actualBytes());
            }
        }
    }

    public FileKind kind() {
        return kind;
    }

    public SlotLayout layout() {
        return layout;
    }

    public Path path() {
        return file.path();
    }

    /** The mapping holding {@code ordinal}'s record, which must be mapped. */
    public MemorySegment segmentOf(long ordinal) {
        return file.extent(layout.extentOf(ordinal));
    }

    public long offsetOf(long ordinal) {
        return layout.offsetInExtent(ordinal);
    }

    /**
     * Asks the kernel to start reading the page(s) holding record {@code ordinal} ({@code madvise(WILLNEED)}), without
     * waiting: reads issued for many records at once overlap on the disk, where faulting them one by one would wait
     * for each. Returns false where the platform has no such call or refused it.
     */
    public boolean willNeed(long ordinal) {
        MemorySegment extent = segmentOf(ordinal);
        long page = io.mmgraph.store.NativeIO.PAGE_SIZE;
        long start = offsetOf(ordinal) & -page;
        long end = Math.min(extent.byteSize(), offsetOf(ordinal) + layout.recordBytes());
        return io.mmgraph.store.NativeIO.willNeed(extent.asSlice(start), end - start) == 0;
    }

    public int mappedExtents() {
        return file.extentCount();
    }

    public MemorySegment extent(int e) {
        return file.extent(e);
    }

    /** msync the records {@code [from, to)}: the bytes from the first one's start to the last one's end. */
    public void force(long from, long to) {
        forEachRange(from, to, file::force);
    }

    /**
     * Asks the kernel to start reading records {@code [from, to)} ({@code madvise(WILLNEED)} over their pages)
     * without waiting, so that a pass over them that follows finds them read, in large requests, whatever the
     * mapping's access policy.
     */
    public void willNeed(long from, long to) {
        long page = io.mmgraph.store.NativeIO.PAGE_SIZE;
        forEachRange(from, to, (e, start, length) -> {
            long aligned = start & -page;
            io.mmgraph.store.NativeIO.willNeed(file.extent(e).asSlice(aligned), start + length - aligned);
        });
    }

    /**
     * Drops this file from the page cache as far as this process can: first its own page-table entries for every
     * mapped extent (nothing of this handle may read through them meanwhile, or it faults the pages in again), then
     * the cached pages no other process maps. A hint: where unsupported, nothing happens.
     */
    public void dropCachedPages() {
        for (int e = 0; e < file.extentCount(); e++) {
            io.mmgraph.store.NativeIO.unmapPages(file.extent(e));
        }
        io.mmgraph.store.NativeIO.evictFromPageCache(path().toString());
    }

    private interface ExtentRange {
        void accept(int extent, long offset, long length);
    }

    /** Calls {@code range} for each extent's part of the bytes of records {@code [from, to)}. */
    private void forEachRange(long from, long to, ExtentRange range) {
        if (to <= from) {
            return;
        }
        int first = layout.extentOf(from);
        int last = layout.extentOf(to - 1);
        for (int e = first; e <= last; e++) {
            long start = e == first ? layout.offsetInExtent(from) : 0;
            long end = e == last ? layout.offsetInExtent(to - 1) + layout.recordBytes() : layout.extentBytes();
            range.accept(e, start, end - start);
        }
    }

    /** msync every mapped extent (for records rewritten in place anywhere). */
    public void forceAll() {
        for (int e = 0; e < file.extentCount(); e++) {
            file.force(e, 0, layout.extentBytes());
        }
    }

    public void forceMetadata() throws IOException {
        file.forceMetadata();
    }

    public boolean advise(AccessHint hint) throws IOException {
        return file.advise(hint);
    }

    /** Residency (mincore) of the bytes holding records {@code [0, records)}, whole extents before the last. */
    public io.mmgraph.store.Residency residency(long records) {
        io.mmgraph.store.Residency total = io.mmgraph.store.Residency.NONE;
        for (int e = 0; e < usedExtents(records); e++) {
            total = total.plus(file.residency(e, usedBytes(e, records)));
        }
        return total;
    }

    /**
     * Loads the bytes of records {@code [0, records)} into the page cache extent by extent (see
     * {@link io.mmgraph.store.ExtentFile#load}), reporting each extent's bytes to {@code progress}.
     */
    public long load(long records, java.util.function.LongConsumer progress) {
        long sink = 0;
        for (int e = 0; e < usedExtents(records); e++) {
            long bytes = usedBytes(e, records);
            sink += file.load(e, bytes);
            progress.accept(bytes);
        }
        return sink;
    }

    /** Bytes of records {@code [0, records)}: the sum of {@link #usedBytes} over their extents. */
    public long recordBytes(long records) {
        long total = 0;
        for (int e = 0; e < usedExtents(records); e++) {
            total += usedBytes(e, records);
        }
        return total;
    }

    private int usedExtents(long records) {
        return records == 0 ? 0 : Math.min(file.extentCount(), layout.extentOf(records - 1) + 1);
    }

    /** Bytes of extent {@code e} from its start to the end of the last of records {@code [0, records)} in it. */
    private long usedBytes(int e, long records) {
        int last = layout.extentOf(records - 1);
        return e < last ? layout.extentBytes() : layout.offsetInExtent(records - 1) + layout.recordBytes();
    }

    public long fileSize() throws IOException {
        return file.size();
    }

    /** The first {@code length} bytes of the prologue (fewer when the file is shorter). */
    public ByteBuffer readPrologue(int length) throws IOException {
        return file.readPrologue(length);
    }

    /** See {@link ExtentFile#writePrologue}. */
    public void writePrologue(long offset, ByteBuffer bytes, boolean sync) throws IOException {
        file.writePrologue(offset, bytes, sync);
    }

    public ByteBuffer readPrologue() throws IOException {
        return file.readPrologue(FormatConstants.PROLOGUE_BYTES);
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
