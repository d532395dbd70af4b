package io.mmgraph.format;

import io.mmgraph.store.AccessHint;
import io.mmgraph.store.MapMode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The data files of one index, opened together against one manifest: vectors, vector checksums, neighbour lists
 * and, for an index created with codes, product-quantization codes, each with the layout the manifest's parameters
 * imply.
 */
public final class IndexFiles implements AutoCloseable {
    private final Map<FileKind, RecordFile> files;
    private final List<FileKind> kinds;
    private final VectorRecords vectors;
    private final NeighborLists lists;
    private final CodeRecords codes;

    private IndexFiles(Map<FileKind, RecordFile> files, int dimension, int maxDegree) {
        this.files = files;
        this.kinds = List.copyOf(files.keySet());
        this.vectors = new VectorRecords(files.get(FileKind.VECTORS), files.get(FileKind.VECTOR_CHECKSUMS), dimension);
        this.lists = new NeighborLists(files.get(FileKind.NEIGHBOR_LISTS), maxDegree);
        RecordFile codeFile = files.get(FileKind.CODES);
        this.codes = codeFile == null ? null : new CodeRecords(codeFile);
    }

    /** The files an index with these parameters has: the required ones, and the codes where it has codes. */
    public static List<FileKind> kinds(int codeBytes) {
        List<FileKind> out = new ArrayList<>();
        for (FileKind kind : FileKind.values()) {
            if (kind.required() || codeBytes > 0) {
                out.add(kind);
            }
        }
        return out;
    }

    /** The layout of a required file ({@link FileKind#required()}) for an index with these parameters. */
    public static SlotLayout layout(FileKind kind, int dimension, int maxDegree, int extentSlots) {
        return layout(kind, dimension, maxDegree, 0, extentSlots);
    }

    /** The layout of {@code kind} for an index with these parameters. */
    public static SlotLayout layout(FileKind kind, int dimension, int maxDegree, int codeBytes, int extentSlots) {
        return switch (kind) {
            case VECTORS -> new SlotLayout(VectorRecords.recordBytes(dimension), extentSlots);
            case VECTOR_CHECKSUMS -> new SlotLayout(FormatConstants.CHECKSUM_BYTES, extentSlots);
            case NEIGHBOR_LISTS -> new SlotLayout(NeighborLists.recordBytes(maxDegree), extentSlots);
            case CODES -> new SlotLayout(codeBytes, extentSlots);
        };
    }

    public static SlotLayout layout(FileKind kind, Manifest m) {
        return layout(kind, m.dimension(), m.maxDegree(), m.codeBytes(), m.extentSlots());
    }

    /** Committed length of every file for {@code count} records, of which the first {@code codedCount} have codes. */
    public static Map<FileKind, Long> lengthsFor(Manifest m, long count, long codedCount) {
        return lengthsFor(m.dimension(), m.maxDegree(), m.codeBytes(), m.extentSlots(), count, codedCount);
    }

    public static Map<FileKind, Long> lengthsFor(int dimension, int maxDegree, int codeBytes, int extentSlots,
                                                 long count, long codedCount) {
        Map<FileKind, Long> lengths = new EnumMap<>(FileKind.class);
        for (FileKind kind : kinds(codeBytes)) {
            long records = kind == FileKind.CODES ? codedCount : count;
            lengths.put(kind, layout(kind, dimension, maxDegree, codeBytes, extentSlots).lengthFor(records));
        }
        return lengths;
    }

    /** Creates empty data files for the index {@code m} describes (replacing leftovers of a creation that died). */
    public static IndexFiles create(Path dir, Manifest m) throws IOException {
        Map<FileKind, RecordFile> files = new EnumMap<>(FileKind.class);
        try {
            for (FileKind kind : kinds(m.codeBytes())) {
                Files.deleteIfExists(dir.resolve(kind.fileName()));
                SlotLayout layout = layout(kind, m);
                files.put(kind, RecordFile.create(dir,
                        FileHeader.of(kind, layout, m.indexId(), m.dimension(), m.maxDegree()), layout));
            }
            Files.deleteIfExists(FormatConstants.codebookPath(dir));
        } catch (IOException | RuntimeException e) {
            closeAll(files, e);
            throw e;
        }
        return new IndexFiles(files, m.dimension(), m.maxDegree());
    }

    /**
     * Opens the data files of {@code m}, checking headers and lengths, mapping the committed records (the codes
     * file is grown and mapped with the others, so it too is mapped for every committed record).
     */
    public static IndexFiles open(Path dir, Manifest m, MapMode mode) throws IOException {
        Map<FileKind, RecordFile> files = new EnumMap<>(FileKind.class);
        try {
            for (FileKind kind : kinds(m.codeBytes())) {
                files.put(kind, RecordFile.open(dir, kind, layout(kind, m), m.indexId(), mode, m.committedCount()));
            }
        } catch (IOException | RuntimeException e) {
            closeAll(files, e);
            throw e;
        }
        return new IndexFiles(files, m.dimension(), m.maxDegree());
    }

    private static void closeAll(Map<FileKind, RecordFile> files, Exception primary) {
        for (RecordFile f : files.values()) {
            try {
                f.close();
            } catch (IOException | RuntimeException suppressed) {
                primary.addSuppressed(suppressed);
            }
        }
    }

    /** The kinds of file this index has, in {@link FileKind} order. */
    public List<FileKind> kinds() {
        return kinds;
    }

    public VectorRecords vectors() {
        return vectors;
    }

    public NeighborLists lists() {
        return lists;
    }

    /** The codes, or null when the index was created without them. */
    public CodeRecords codes() {
        return codes;
    }

    /** @throws IllegalArgumentException when this index has no file of that kind */
    public RecordFile file(FileKind kind) {
        RecordFile f = files.get(kind);
        if (f == null) {
            throw new IllegalArgumentException("this index has no " + kind.fileName());
        }
        return f;
    }

    /** Maps (the writer: reserves and maps) every file's extents for {@code count} records. */
    public void mapFor(long count) throws IOException {
        for (RecordFile f : files.values()) {
            f.mapFor(count);
        }
    }

    /**
     * Makes durable everything a commit of {@code to} records needs, given that {@code from} were committed:
     * the appended vectors, checksums and codes ({@code codesFrom} to {@code to}: a quantizer trained since the last
     * commit wrote codes for earlier records too), every neighbour list (lists are rewritten in place anywhere), and
     * the files' lengths when they grew.
     */
    public void forceForCommit(long from, long to, long codesFrom, boolean grew) throws IOException {
        files.get(FileKind.VECTORS).force(from, to);
        files.get(FileKind.VECTOR_CHECKSUMS).force(from, to);
        if (codes != null && codesFrom < to) {
            codes.file().force(codesFrom, to);
        }
        files.get(FileKind.NEIGHBOR_LISTS).forceAll();
        if (grew) {
            for (RecordFile f : files.values()) {
                f.forceMetadata();
            }
        }
    }

    public boolean advise(AccessHint hint) throws IOException {
        boolean all = true;
        for (RecordFile f : files.values()) {
            all &= f.advise(hint);
        }
        return all;
    }

    public int mappedExtents() {
        int total = 0;
        for (RecordFile f : files.values()) {
            total += f.mappedExtents();
        }
        return total;
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (RecordFile f : files.values()) {
            try {
                f.close();
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
