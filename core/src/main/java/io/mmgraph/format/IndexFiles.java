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
 * The data files of one index, opened together against one manifest: vectors, vector checksums, neighbour lists,
 * the deletes log (format 3 on), key records and docs (format 4 on) and, for an index created with codes,
 * product-quantization codes, each with the layout the manifest's parameters imply. The id table, derived data
 * outside the manifest, is not among them ({@link IdTable}).
 */
public final class IndexFiles implements AutoCloseable {
    /** Replaced whole, never changed, when {@link #attach} adds files: readers iterate it without locks. */
    private volatile Map<FileKind, RecordFile> files;
    private volatile List<FileKind> kinds;
    private final VectorRecords vectors;
    private final NeighborLists lists;
    private final CodeRecords codes;
    private volatile DeleteRecords deletes;
    private volatile KeyRecords keys;
    private volatile DocRecords docs;

    private IndexFiles(Map<FileKind, RecordFile> files, int dimension, int maxDegree) {
        this.vectors = new VectorRecords(files.get(FileKind.VECTORS), files.get(FileKind.VECTOR_CHECKSUMS), dimension);
        this.lists = new NeighborLists(files.get(FileKind.NEIGHBOR_LISTS), maxDegree);
        RecordFile codeFile = files.get(FileKind.CODES);
        this.codes = codeFile == null ? null : new CodeRecords(codeFile);
        install(files);
    }

    /** Publishes {@code all} and the views of its optional files (the set only grows: an upgrade adds files). */
    private void install(Map<FileKind, RecordFile> all) {
        RecordFile deleteFile = all.get(FileKind.DELETES);
        this.deletes = deleteFile == null ? null : new DeleteRecords(deleteFile);
        RecordFile keyFile = all.get(FileKind.KEYS);
        this.keys = keyFile == null ? null : new KeyRecords(keyFile);
        RecordFile docFile = all.get(FileKind.DOCS);
        this.docs = docFile == null ? null : new DocRecords(docFile);
        this.files = all;
        this.kinds = List.copyOf(all.keySet());
    }

    /**
     * The files a new index with these parameters has: the required ones, the deletes log, and the codes where it has
     * codes.
     */
    public static List<FileKind> kinds(int codeBytes) {
        List<FileKind> out = new ArrayList<>();
        for (FileKind kind : FileKind.values()) {
            if (kind.committed() && (kind != FileKind.CODES || codeBytes > 0)) {
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
            case DELETES -> new SlotLayout(FormatConstants.DELETE_RECORD_BYTES, extentSlots);
            case KEYS -> new SlotLayout(FormatConstants.KEY_RECORD_BYTES, extentSlots);
            case DOCS -> new SlotLayout(1, FormatConstants.docExtentBytes(extentSlots));
            case IDS -> throw new IllegalArgumentException("the id table's layout follows its capacity (IdTable)");
            case FIELD -> new SlotLayout(FormatConstants.FIELD_ENTRY_BYTES, extentSlots);
        };
    }

    public static SlotLayout layout(FileKind kind, Manifest m) {
        return layout(kind, m.dimension(), m.maxDegree(), m.codeBytes(), m.extentSlots());
    }

    /**
     * Committed length of every file {@code m} names for {@code count} records, of which the first
     * {@code codedCount} have codes, {@code deleteCount} deletions and {@code docBytes} bytes of ids and payloads.
     */
    public static Map<FileKind, Long> lengthsFor(Manifest m, long count, long codedCount, long deleteCount,
                                                 long docBytes) {
        Map<FileKind, Long> lengths = new EnumMap<>(FileKind.class);
        for (FileKind kind : m.kinds()) {
            long records = switch (kind) {
                case CODES -> codedCount;
                case DELETES -> deleteCount;
                case DOCS -> docBytes;
                default -> count;
            };
            lengths.put(kind, layout(kind, m).lengthFor(records));
        }
        return lengths;
    }

    /** Committed length of every file of a new, empty index with these parameters ({@link #kinds(int)}). */
    public static Map<FileKind, Long> emptyLengths(int dimension, int maxDegree, int codeBytes, int extentSlots) {
        Map<FileKind, Long> lengths = new EnumMap<>(FileKind.class);
        for (FileKind kind : kinds(codeBytes)) {
            lengths.put(kind, layout(kind, dimension, maxDegree, codeBytes, extentSlots).lengthFor(0));
        }
        return lengths;
    }

    /** Creates empty data files for the index {@code m} describes (replacing leftovers of a creation that died). */
    public static IndexFiles create(Path dir, Manifest m) throws IOException {
        Map<FileKind, RecordFile> files = new EnumMap<>(FileKind.class);
        try {
            for (FileKind kind : m.kinds()) {
                files.put(kind, createFile(dir, kind, m));
            }
        } catch (IOException | RuntimeException e) {
            closeAll(files, e);
            throw e;
        }
        return new IndexFiles(files, m.dimension(), m.maxDegree());
    }

    /** Creates the empty file of {@code kind} for the index {@code m} describes, replacing any leftover. */
    private static RecordFile createFile(Path dir, FileKind kind, Manifest m) throws IOException {
        Path path = m.path(dir, kind);
        Files.deleteIfExists(path);
        SlotLayout layout = layout(kind, m);
        return RecordFile.createAt(path, FileHeader.of(kind, layout, m.indexId(), m.dimension(), m.maxDegree()),
                layout);
    }

    /**
     * Gives an index of format 1 to 3 what format 4 adds: the (empty) deletes file where it lacks one, and the keys
     * and docs files, replacing leftovers of an upgrade that died. The keys file is grown to hold a record per
     * committed ordinal: fresh extents read as zeros, the record of an ordinal without an id ({@link KeyRecords}).
     * Returns the manifest that names them, for the caller to commit after syncing the directory.
     */
    public static Manifest upgrade(Path dir, Manifest m) throws IOException {
        List<FileKind> add = new ArrayList<>();
        if (!m.hasDeletes()) {
            add.add(FileKind.DELETES);
        }
        if (!m.hasKeys()) {
            add.add(FileKind.KEYS);
            add.add(FileKind.DOCS);
        }
        return add.isEmpty() ? m : addFiles(dir, m, add);
    }

    private static Manifest addFiles(Path dir, Manifest m, List<FileKind> add) throws IOException {
        Map<FileKind, Long> lengths = new EnumMap<>(m.committedLengths());
        for (FileKind kind : add) {
            lengths.put(kind, layout(kind, m).lengthFor(0));
        }
        Manifest upgraded = m.withFiles(lengths);
        for (FileKind kind : add) {
            try (RecordFile f = createFile(dir, kind, upgraded)) {
                long records = upgraded.mappedRecords(kind);
                f.mapFor(records);
                if (records > 0) {
                    f.forceMetadata();
                }
                lengths.put(kind, layout(kind, upgraded).lengthFor(records));
            }
        }
        return m.withFiles(lengths);
    }

    /**
     * Opens the data files of {@code m}, checking headers and lengths, mapping the committed records (the codes
     * file is grown and mapped with the others, so it too is mapped for every committed record).
     */
    public static IndexFiles open(Path dir, Manifest m, MapMode mode) throws IOException {
        Map<FileKind, RecordFile> files = new EnumMap<>(FileKind.class);
        try {
            for (FileKind kind : m.kinds()) {
                files.put(kind, RecordFile.open(m.path(dir, kind), kind, layout(kind, m), m.indexId(), mode,
                        m.mappedRecords(kind)));
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

    /**
     * Opens the files a writer added to this index since this reader opened it (an upgrade to a newer format),
     * mapping what {@code m} commits: a reader refreshing across the upgrade goes on reading.
     */
    public void attach(Path dir, Manifest m, MapMode mode) throws IOException {
        Map<FileKind, RecordFile> more = new EnumMap<>(files);
        try {
            for (FileKind kind : m.kinds()) {
                if (!more.containsKey(kind)) {
                    more.put(kind, RecordFile.open(m.path(dir, kind), kind, layout(kind, m), m.indexId(), mode,
                            m.mappedRecords(kind)));
                }
            }
        } catch (IOException | RuntimeException e) {
            for (FileKind kind : more.keySet()) {
                if (!files.containsKey(kind)) {
                    closeAll(Map.of(kind, more.get(kind)), e);
                }
            }
            throw e;
        }
        install(more);
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

    /** The deletes log, or null for an index of format 1 or 2 opened by a reader. */
    public DeleteRecords deletes() {
        return deletes;
    }

    /** The key records, or null for an index of format 1 to 3 opened by a reader. */
    public KeyRecords keys() {
        return keys;
    }

    /** The ids' and payloads' bytes, or null for an index of format 1 to 3 opened by a reader. */
    public DocRecords docs() {
        return docs;
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

    /**
     * Maps (the writer: reserves and maps) the extents of every file of per-ordinal records for {@code count}
     * records; the deletes log and the docs grow by their own counts ({@link DeleteRecords#mapFor},
     * {@link DocRecords#mapFor}).
     */
    public void mapFor(long count) throws IOException {
        for (RecordFile f : files.values()) {
            if (f.kind() != FileKind.DELETES && f.kind() != FileKind.DOCS) {
                f.mapFor(count);
            }
        }
    }

    /**
     * Makes durable everything a commit of {@code to} records needs, given that {@code from} were committed:
     * the appended vectors, checksums and codes ({@code codesFrom} to {@code to}: a quantizer trained since the last
     * commit wrote codes for earlier records too), deletions {@code deletesFrom} to {@code deletesTo}, key records
     * and the docs' bytes {@code docsFrom} to {@code docsTo}, every neighbour list (lists are rewritten in place
     * anywhere), and the files' lengths when they grew.
     */
    public void forceForCommit(long from, long to, long codesFrom, long deletesFrom, long deletesTo, long docsFrom,
                               long docsTo, boolean grew) throws IOException {
        files.get(FileKind.VECTORS).force(from, to);
        files.get(FileKind.VECTOR_CHECKSUMS).force(from, to);
        if (keys != null) {
            keys.file().force(from, to);
            if (docsFrom < docsTo) {
                docs.file().force(docsFrom, docsTo);
            }
        }
        if (deletes != null && deletesFrom < deletesTo) {
            deletes.file().force(deletesFrom, deletesTo);
        }
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
        io.mmgraph.store.Closing.closeAll(files.values());
    }
}
