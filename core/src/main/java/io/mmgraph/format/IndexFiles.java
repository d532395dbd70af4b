package io.mmgraph.format;

import io.mmgraph.store.AccessHint;
import io.mmgraph.store.MapMode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/**
 * The data files of one index, opened together against one manifest: vectors, vector checksums and neighbour
 * lists, each with the layout the manifest's parameters imply.
 */
public final class IndexFiles implements AutoCloseable {
    private final RecordFile vectorFile;
    private final RecordFile checksumFile;
    private final RecordFile listFile;
    private final VectorRecords vectors;
    private final NeighborLists lists;

    private IndexFiles(RecordFile vectorFile, RecordFile checksumFile, RecordFile listFile, int dimension, int maxDegree) {
        this.vectorFile = vectorFile;
        this.checksumFile = checksumFile;
        this.listFile = listFile;
        this.vectors = new VectorRecords(vectorFile, checksumFile, dimension);
        this.lists = new NeighborLists(listFile, maxDegree);
    }

    /** The layout of {@code kind} for an index with these parameters. */
    public static SlotLayout layout(FileKind kind, int dimension, int maxDegree, int extentSlots) {
        return switch (kind) {
            case VECTORS -> new SlotLayout(VectorRecords.recordBytes(dimension), extentSlots);
            case VECTOR_CHECKSUMS -> new SlotLayout(FormatConstants.CHECKSUM_BYTES, extentSlots);
            case NEIGHBOR_LISTS -> new SlotLayout(NeighborLists.recordBytes(maxDegree), extentSlots);
        };
    }

    public static SlotLayout layout(FileKind kind, Manifest m) {
        return layout(kind, m.dimension(), m.maxDegree(), m.extentSlots());
    }

    /** Committed length of every file for {@code count} records. */
    public static Map<FileKind, Long> lengthsFor(Manifest m, long count) {
        return lengthsFor(m.dimension(), m.maxDegree(), m.extentSlots(), count);
    }

    public static Map<FileKind, Long> lengthsFor(int dimension, int maxDegree, int extentSlots, long count) {
        Map<FileKind, Long> lengths = new EnumMap<>(FileKind.class);
        for (FileKind kind : FileKind.values()) {
            lengths.put(kind, layout(kind, dimension, maxDegree, extentSlots).lengthFor(count));
        }
        return lengths;
    }

    /** Creates empty data files for the index {@code m} describes (replacing leftovers of a creation that died). */
    public static IndexFiles create(Path dir, Manifest m) throws IOException {
        RecordFile[] files = new RecordFile[FileKind.values().length];
        try {
            for (FileKind kind : FileKind.values()) {
                Files.deleteIfExists(dir.resolve(kind.fileName()));
                SlotLayout layout = layout(kind, m);
                files[kind.ordinal()] = RecordFile.create(dir,
                        FileHeader.of(kind, layout, m.indexId(), m.dimension(), m.maxDegree()), layout);
            }
        } catch (IOException | RuntimeException e) {
            closeAll(files, e);
            throw e;
        }
        return new IndexFiles(files[0], files[1], files[2], m.dimension(), m.maxDegree());
    }

    /** Opens the data files of {@code m}, checking headers and lengths, mapping the committed records. */
    public static IndexFiles open(Path dir, Manifest m, MapMode mode) throws IOException {
        RecordFile[] files = new RecordFile[FileKind.values().length];
        try {
            for (FileKind kind : FileKind.values()) {
                files[kind.ordinal()] = RecordFile.open(dir, kind, layout(kind, m), m.indexId(), mode,
                        m.committedCount());
            }
        } catch (IOException | RuntimeException e) {
            closeAll(files, e);
            throw e;
        }
        return new IndexFiles(files[0], files[1], files[2], m.dimension(), m.maxDegree());
    }

    private static void closeAll(RecordFile[] files, Exception primary) {
        for (RecordFile f : files) {
            if (f != null) {
                try {
                    f.close();
                } catch (IOException | RuntimeException suppressed) {
                    primary.addSuppressed(suppressed);
                }
            }
        }
    }

    public VectorRecords vectors() {
        return vectors;
    }

    public NeighborLists lists() {
        return lists;
    }

    public RecordFile file(FileKind kind) {
        return switch (kind) {
            case VECTORS -> vectorFile;
            case VECTOR_CHECKSUMS -> checksumFile;
            case NEIGHBOR_LISTS -> listFile;
        };
    }

    /** Maps (the writer: reserves and maps) every file's extents for {@code count} records. */
    public void mapFor(long count) throws IOException {
        vectorFile.mapFor(count);
        checksumFile.mapFor(count);
        listFile.mapFor(count);
    }

    /**
     * Makes durable everything a commit of {@code to} records needs, given that {@code from} were committed:
     * the appended vectors and checksums, every neighbour list (lists are rewritten in place anywhere), and the
     * files' lengths when they grew.
     */
    public void forceForCommit(long from, long to, boolean grew) throws IOException {
        vectorFile.force(from, to);
        checksumFile.force(from, to);
        listFile.forceAll();
        if (grew) {
            vectorFile.forceMetadata();
            checksumFile.forceMetadata();
            listFile.forceMetadata();
        }
    }

    public boolean advise(AccessHint hint) throws IOException {
        boolean all = true;
        for (FileKind kind : FileKind.values()) {
            all &= file(kind).advise(hint);
        }
        return all;
    }

    public int mappedExtents() {
        return vectorFile.mappedExtents() + checksumFile.mappedExtents() + listFile.mappedExtents();
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (FileKind kind : FileKind.values()) {
            try {
                file(kind).close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
