package io.mmgraph.format;

import io.mmgraph.quant.ProductQuantizer;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Full verification of one committed snapshot: reads every committed byte of every file and checks it against
 * what the format allows — both manifest copies, every file header and prologue, every vector against its
 * checksum, every neighbour list against its checksum and its bounds, and the zero padding between records.
 * Together these cover each byte below each file's committed length, so a flipped bit anywhere there is found.
 *
 * <p>Reads only; safe while a writer appends, because committed records never change and neighbour lists are
 * re-read before a mismatch is reported (a racing rewrite settles).
 */
public final class IndexVerifier {
    public static final int MAX_PROBLEMS = 100;
    private static final int LIST_REREADS = 3;
    /**
     * While the commit is open (a writer works, here or in another process) a list can stay mid-rewrite for as
     * long as its writer is descheduled, far longer than the spinning re-reads: keep re-reading this long before
     * calling it damage, and at most {@link #SETTLE_BUDGET_NANOS} per verification in all (a crash can leave torn
     * lists that recovery rewrites; they must not make a check take minutes).
     */
    private static final long SETTLE_NANOS = 200_000_000L;
    private static final long SETTLE_BUDGET_NANOS = 2_000_000_000L;

    private final Path dir;
    private final Manifest manifest;
    private final IndexFiles files;
    private final List<String> problems = new ArrayList<>();
    private long problemCount;
    private long bytesChecked;
    /** A writer may be rewriting lists while this runs (here or in another process), or one died mid-rewrite. */
    private boolean listsMayChange;

    private IndexVerifier(Path dir, Manifest manifest, IndexFiles files) {
        this.dir = dir;
        this.manifest = manifest;
        this.files = files;
    }

    /**
     * Verifies {@code files} at the commit {@code manifest} describes.
     *
     * @param idLimit neighbour ids at or above this are damage: the committed count after a clean close (the
     *                writer's own check, whose limit grows, uses the {@link LongSupplier} form)
     */
    public static VerifyReport verify(Path dir, Manifest manifest, IndexFiles files, long idLimit) throws IOException {
        return verify(dir, manifest, files, null, () -> idLimit, manifest.state() == Manifest.State.OPEN);
    }

    /**
     * As {@link #verify(Path, Manifest, IndexFiles, long)}, with a limit that may grow while the check runs (the
     * writer's own check while inserts allocate nodes whose ids reach committed lists as back-edges): it is read
     * after the list that holds an id at or above its previous value. {@code listsMayChange}: a writer may be
     * rewriting lists meanwhile, so a list that looks damaged is re-read for a while before it is reported.
     */
    public static VerifyReport verify(Path dir, Manifest manifest, IndexFiles files, IdTable openTable,
                                      LongSupplier idLimit, boolean listsMayChange) throws IOException {
        IndexVerifier v = new IndexVerifier(dir, manifest, files);
        v.listsMayChange = listsMayChange;
        v.checkManifest();
        for (FileKind kind : files.kinds()) {
            v.checkPrologue(files.file(kind));
        }
        v.checkVectors();
        v.checkLists(idLimit);
        v.checkCodes();
        java.util.BitSet deleted = v.checkDeletes();
        v.checkKeys();
        v.checkIdTable(deleted, openTable);
        for (FileKind kind : files.kinds()) {
            v.checkPadding(files.file(kind), manifest.records(kind));
        }
        return new VerifyReport(manifest.committedCount(), v.bytesChecked, v.problems, v.problemCount);
    }

    private void problem(Path file, String what) {
        problemCount++;
        if (problems.size() < MAX_PROBLEMS) {
            problems.add(file.getFileName() + ": " + what);
        }
    }

    private void checkManifest() throws IOException {
        Path file = FormatConstants.manifestPath(dir);
        ManifestFile.Read read = ManifestFile.read(file);
        bytesChecked += FormatConstants.MANIFEST_FILE_BYTES;
        if (read.a() == null) {
            problem(file, "manifest copy A (bytes 0-4095) is damaged: bad magic or CRC32C");
        }
        if (read.b() == null) {
            problem(file, "manifest copy B (bytes 4096-8191) is damaged: bad magic or CRC32C");
        }
    }

    private void checkPrologue(RecordFile rf) throws IOException {
        ByteBuffer prologue = rf.readPrologue();
        bytesChecked += prologue.remaining();
        try {
            FileHeader.decode(rf.path(), prologue).expect(rf.path(), rf.kind(), manifest.indexId(), rf.layout());
        } catch (CorruptIndexException e) {
            problem(rf.path(), "header: " + e.getMessage());
        }
        for (int i = FormatConstants.BLOCK_SIZE; i < prologue.limit(); i++) {
            if (prologue.get(i) != 0) {
                problem(rf.path(), "non-zero byte in header padding at offset " + i);
                break;
            }
        }
    }

    private void checkVectors() {
        VectorRecords vectors = files.vectors();
        long n = manifest.committedCount();
        RecordFile vf = vectors.vectorFile();
        for (long ord = 0; ord < n; ord++) {
            if (!vectors.checksumMatches(ord)) {
                long at = vf.layout().fileOffset(ord);
                problem(vf.path(), "vector " + ord + " (bytes " + at + "-" + (at + vf.layout().recordBytes() - 1)
                        + ") does not match its CRC32C in " + vectors.checksumFile().path().getFileName());
            }
        }
        bytesChecked += n * (vf.layout().recordBytes() + (long) FormatConstants.CHECKSUM_BYTES);
    }

    /** Every committed deletion: its checksum, an ordinal below the committed count, and no ordinal deleted twice. */
    private java.util.BitSet checkDeletes() {
        DeleteRecords deletes = files.deletes();
        long count = manifest.deleteCount();
        if (deletes == null || count == 0) {
            return new java.util.BitSet();
        }
        RecordFile df = deletes.file();
        long n = manifest.committedCount();
        java.util.BitSet seen = new java.util.BitSet();
        for (long i = 0; i < count; i++) {
            int ordinal = deletes.read(i);
            long at = df.layout().fileOffset(i);
            if (ordinal == -1) {
                problem(df.path(), "deletion " + i + " (bytes " + at + "-" + (at + FormatConstants.DELETE_RECORD_BYTES - 1)
                        + ") does not match its CRC32C");
            } else if (ordinal < 0 || ordinal >= n) {
                problem(df.path(), "deletion " + i + " names ordinal " + ordinal + ", outside the " + n
                        + " committed vectors");
            } else if (seen.get(ordinal)) {
                problem(df.path(), "deletion " + i + " deletes ordinal " + ordinal + " a second time");
            } else {
                seen.set(ordinal);
            }
        }
        bytesChecked += count * FormatConstants.DELETE_RECORD_BYTES;
        return seen;
    }

    /**
     * Every committed key record: its checksum, its bytes starting where the previous ordinal's end (the docs file
     * is written in ordinal order), those bytes against the record's CRC32C and the id's hash, and the last record
     * ending at the committed docs length.
     */
    private void checkKeys() {
        KeyRecords keys = files.keys();
        if (keys == null) {
            return;
        }
        RecordFile kf = keys.file();
        long n = manifest.committedCount();
        long docBytes = manifest.docBytes();
        long end = 0;
        for (long ord = 0; ord < n; ord++) {
            KeyRecords.Key k = keys.read(ord);
            long at = kf.layout().fileOffset(ord);
            if (k == null) {
                problem(kf.path(), "key record " + ord + " (bytes " + at + "-" + (at + FormatConstants.KEY_RECORD_BYTES - 1)
                        + ") does not match its CRC32C or holds lengths out of range");
                end = -1; // unknown: the next record's offset is taken as it is
                continue;
            }
            if (end >= 0 && k.docOffset() != end) {
                problem(kf.path(), "key record " + ord + " places its id and payload at byte " + k.docOffset()
                        + " of " + files.docs().file().path().getFileName() + ", not where the previous ordinal's end ("
                        + end + ")");
            } else if (k.docEnd() > docBytes) {
                problem(kf.path(), "key record " + ord + " reaches byte " + k.docEnd() + " of "
                        + files.docs().file().path().getFileName() + ", past the " + docBytes + " committed");
            } else if (k.keyLength() + k.payloadLength() > 0) {
                byte[] bytes = files.docs().read(k.docOffset(), k.keyLength() + k.payloadLength());
                if (Crc.of(bytes, 0, bytes.length) != k.dataCrc()) {
                    problem(files.docs().file().path(), "the id and payload of ordinal " + ord + " (bytes "
                            + k.docOffset() + "-" + (k.docEnd() - 1) + ") do not match their CRC32C");
                } else if (k.keyHash() != (k.hasKey() ? KeyHash.of(java.util.Arrays.copyOf(bytes, k.keyLength())) : 0)) {
                    problem(kf.path(), "key record " + ord + " holds a hash that is not its id's");
                }
            }
            end = k.docEnd();
        }
        if (end >= 0 && end != docBytes) {
            problem(files.docs().file().path(), "the key records end at byte " + end + ", the commit at " + docBytes);
        }
        bytesChecked += n * FormatConstants.KEY_RECORD_BYTES + docBytes;
    }

    /**
     * The id table ({@code openTable}, the one the caller has open, or else the file): present, not full (a probe
     * must meet an empty slot), and finding every committed, live ordinal with an id under its hash. Stale slots
     * (replaced, deleted or never committed ordinals) are allowed.
     */
    private void checkIdTable(java.util.BitSet deleted, IdTable openTable) throws IOException {
        KeyRecords keys = files.keys();
        if (keys == null) {
            return;
        }
        Path path = manifest.path(dir, FileKind.IDS);
        IdTable table = openTable;
        if (table == null) {
            try {
                table = IdTable.open(path, manifest.indexId(), io.mmgraph.store.MapMode.READ_ONLY);
            } catch (CorruptIndexException e) {
                problem(path, "id table: " + e.getMessage() + " (a writer rebuilds it)");
                return;
            }
            if (table == null) {
                problem(path, "the id table is missing (a writer rebuilds it)");
                return;
            }
        }
        try {
            long used = 0;
            for (int i = 0; i < table.capacity(); i++) {
                used += table.slotOrdinalPlusOne(i) != 0 ? 1 : 0;
            }
            if (used >= table.capacity()) {
                problem(path, "the id table has no empty slot");
                return;
            }
            long n = manifest.committedCount();
            for (int ord = 0; ord < n; ord++) {
                KeyRecords.Key k = keys.read(ord);
                if (k != null && k.hasKey() && !deleted.get(ord)) {
                    boolean found = false;
                    for (int c : table.candidates(k.keyHash())) {
                        found |= c == ord;
                    }
                    if (!found) {
                        problem(path, "the id table does not find ordinal " + ord + " under its id's hash");
                    }
                }
            }
            bytesChecked += (long) table.capacity() * FormatConstants.ID_SLOT_BYTES;
        } finally {
            if (table != openTable) {
                table.close();
            }
        }
    }

    /**
     * The codebook against the manifest's CRC32C, then every committed code against its vector re-encoded: codes
     * carry no checksum of their own because the encoding is deterministic (scalar Java arithmetic) and the vectors'
     * checksums were checked first.
     */
    private void checkCodes() throws IOException {
        long coded = manifest.codedCount();
        if (coded == 0) {
            return;
        }
        ProductQuantizer quantizer;
        try {
            quantizer = CodebookFile.read(dir, manifest.codebookCrc());
        } catch (CorruptIndexException e) {
            problem(FormatConstants.codebookPath(dir), e.getMessage());
            return;
        }
        bytesChecked += quantizer.serializedBytes();
        CodeRecords codes = files.codes();
        RecordFile cf = codes.file();
        int m = codes.codeBytes();
        if (quantizer.codeBytes() != m || quantizer.dimension() != manifest.dimension()) {
            problem(FormatConstants.codebookPath(dir), "codebook has " + quantizer.codeBytes() + " subspaces of "
                    + quantizer.dimension() + " dimensions, the index " + m + " and " + manifest.dimension());
            return;
        }
        float[] vector = new float[manifest.dimension()];
        byte[] stored = new byte[m];
        byte[] expected = new byte[m];
        for (long ord = 0; ord < coded; ord++) {
            files.vectors().read(ord, vector);
            codes.read(ord, stored);
            try {
                quantizer.encode(vector, expected, 0);
            } catch (IllegalArgumentException e) {
                continue; // a damaged vector: already reported by its checksum
            }
            if (!java.util.Arrays.equals(stored, expected)) {
                long at = cf.layout().fileOffset(ord);
                problem(cf.path(), "code " + ord + " (bytes " + at + "-" + (at + m - 1)
                        + ") is not the encoding of vector " + ord);
            }
        }
        bytesChecked += coded * m;
    }

    private void checkLists(LongSupplier idLimit) throws IOException {
        NeighborLists lists = files.lists();
        RecordFile lf = lists.file();
        long n = manifest.committedCount();
        int r = lists.maxDegree();
        boolean writable = listsMayChange;
        long settleBudget = SETTLE_BUDGET_NANOS;
        for (long ord = 0; ord < n; ord++) {
            String damage = null;
            for (int attempt = 0; attempt < LIST_REREADS; attempt++) {
                damage = listDamage(lists, ord, r, idLimit);
                if (damage == null) {
                    break;
                }
                Thread.onSpinWait();
            }
            if (damage != null && writable && settleBudget > 0) {
                long start = System.nanoTime();
                long wait = Math.min(SETTLE_NANOS, settleBudget);
                while (damage != null && System.nanoTime() - start < wait) {
                    LockSupport.parkNanos(100_000L);
                    damage = listDamage(lists, ord, r, idLimit);
                }
                settleBudget -= System.nanoTime() - start;
            }
            if (damage != null) {
                problem(lf.path(), "neighbour list " + ord + " (byte " + lf.layout().fileOffset(ord) + "): " + damage);
            }
        }
        bytesChecked += n * lf.layout().recordBytes();
    }

    private static String listDamage(NeighborLists lists, long ord, int r, LongSupplier idLimitNow) {
        if (!lists.checksumMatches(ord)) {
            return "CRC32C mismatch";
        }
        int count = lists.rawCount(ord);
        if (count < 0 || count > r) {
            return "count " + count + " outside [0, " + r + "]";
        }
        long idLimit = -1;
        for (int i = 0; i < r; i++) {
            int id = lists.rawId(ord, i);
            if (i >= count) {
                if (id != 0) {
                    return "unused slot " + i + " holds " + id + ", expected 0";
                }
                continue;
            }
            if (id < 0 || id >= idLimit) {
                // Read the limit after the ids (a node's id reaches a list only after the node is allocated).
                java.lang.invoke.VarHandle.acquireFence();
                idLimit = idLimitNow.getAsLong();
                if (id < 0 || id >= idLimit) {
                    return "neighbour " + id + " outside [0, " + idLimit + ")";
                }
            }
            if (id == ord) {
                return "self loop";
            }
        }
        return null;
    }

    /** The bytes after the records of each fully committed block (of {@code count} records) must be zero. */
    private void checkPadding(RecordFile rf, long count) {
        SlotLayout layout = rf.layout();
        int perUnit = layout.recordsPerUnit();
        long used = (long) perUnit * layout.recordBytes();
        long pad = layout.unitBytes() - used;
        if (pad == 0) {
            return;
        }
        long fullUnits = count / perUnit;
        for (long u = 0; u < fullUnits; u++) {
            long firstOrd = u * perUnit;
            MemorySegment seg = rf.segmentOf(firstOrd);
            long start = rf.offsetOf(firstOrd) + used;
            for (long i = 0; i < pad; i++) {
                if (seg.get(ValueLayout.JAVA_BYTE, start + i) != 0) {
                    problem(rf.path(), "non-zero padding byte after the records of block " + u + " (byte "
                            + (layout.fileOffset(firstOrd) + used + i) + ")");
                    break;
                }
            }
            bytesChecked += pad;
        }
        checkExtentTails(rf, count);
    }

    /** An extent's bytes past its last whole block (when blocks do not divide it) are zero too. */
    private void checkExtentTails(RecordFile rf, long count) {
        SlotLayout layout = rf.layout();
        long usedPerExtent = (long) layout.recordsPerExtent() / layout.recordsPerUnit() * layout.unitBytes();
        long tail = layout.extentBytes() - usedPerExtent;
        if (tail == 0) {
            return;
        }
        long fullExtents = count / layout.recordsPerExtent();
        for (int e = 0; e < fullExtents; e++) {
            MemorySegment seg = rf.extent(e);
            for (long i = usedPerExtent; i < layout.extentBytes(); i++) {
                if (seg.get(ValueLayout.JAVA_BYTE, i) != 0) {
                    problem(rf.path(), "non-zero byte in the unused tail of extent " + e + " (byte "
                            + (layout.extentStart(e) + i) + ")");
                    break;
                }
            }
            bytesChecked += tail;
        }
    }
}
