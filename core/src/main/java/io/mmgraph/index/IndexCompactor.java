package io.mmgraph.index;

import io.mmgraph.format.CorruptIndexException;
import io.mmgraph.format.Crc;
import io.mmgraph.format.FileKind;
import io.mmgraph.format.IdTable;
import io.mmgraph.format.IndexFiles;
import io.mmgraph.format.KeyRecords;
import io.mmgraph.format.Manifest;
import io.mmgraph.format.RecordFile;
import io.mmgraph.store.MapMode;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntPredicate;
import java.util.regex.Pattern;

/**
 * Writes the next generation of an index's files holding only its live vectors, numbered anew in order
 * (docs/design.md, "Compaction"). The files are written beside the current ones under their next generation's names
 * and synced, with a fresh id table; nothing names them until the caller commits the manifest this returns, so a
 * crash at any point leaves the current generation whole (a writer deletes the other generation's leftovers when it
 * opens the index).
 */
final class IndexCompactor {
    private IndexCompactor() {}

    /** What a compaction changed. */
    record Result(Manifest manifest, int before, int after) {}

    /**
     * Copies the live vectors of the commit {@code m} (which covers every change: the caller committed it) to
     * generation {@code m.generation() + 1}, with their checksums, codes, ids, payloads and neighbour lists (ids of
     * deleted neighbours dropped, the others renumbered), and returns the manifest that names it, marked clean.
     */
    static Result writeNextGeneration(Path dir, Manifest m, IndexFiles from, IntPredicate live, List<String> fields)
            throws IOException {
        int n = (int) m.committedCount();
        int[] renumbered = new int[n];
        int count = 0;
        for (int ord = 0; ord < n; ord++) {
            renumbered[ord] = live.test(ord) ? count++ : -1;
        }
        int entry = m.entryPoint() >= 0 ? renumbered[m.entryPoint()] : -1;
        if (entry < 0 && count > 0) {
            entry = 0; // consolidation moves a deleted entry point; this is only the fallback of an index it could not
        }
        int generation = m.generation() + 1;
        Manifest empty = new Manifest(m.sequence() + 1, m.indexId(), m.dimension(), m.metricCode(), m.maxDegree(),
                Manifest.State.CLEAN, 0, m.extentSlots(), -1, m.buildBeamWidth(), m.alpha(),
                IndexFiles.emptyLengths(m.dimension(), m.maxDegree(), m.codeBytes(), m.extentSlots()), m.codeBytes(),
                0, 0, m.codeTrainSize(), 0, 0, generation);
        long docBytes = 0;
        try (IndexFiles to = IndexFiles.create(dir, empty)) {
            to.mapFor(count);
            KeyRecords keys = from.keys();
            int[] list = new int[m.maxDegree()];
            for (int ord = 0; ord < n; ord++) {
                int at = renumbered[ord];
                if (at < 0) {
                    continue;
                }
                for (FileKind kind : new FileKind[] {FileKind.VECTORS, FileKind.VECTOR_CHECKSUMS, FileKind.CODES}) {
                    if (m.committedLengths().containsKey(kind) && (kind != FileKind.CODES || ord < m.codedCount())) {
                        copyRecord(from.file(kind), ord, to.file(kind), at);
                    }
                }
                int degree = from.lists().read(ord, list, n);
                int kept = 0;
                for (int i = 0; i < degree; i++) {
                    int neighbor = renumbered[list[i]];
                    if (neighbor >= 0) {
                        list[kept++] = neighbor;
                    }
                }
                if (kept == 0 && degree > 0) {
                    kept = liveTwoHops(from, ord, renumbered, at, list, n);
                }
                to.lists().write(at, list, kept);
                KeyRecords.Key k = keys.read(ord);
                if (k == null) {
                    throw new CorruptIndexException(keys.file().path(), "key record " + ord
                            + " does not match its CRC32C; compaction stopped before changing anything");
                }
                int length = k.keyLength() + k.payloadLength();
                if (length > 0) {
                    byte[] bytes = from.docs().read(k.docOffset(), length);
                    if (Crc.of(bytes, 0, length) != k.dataCrc()) {
                        throw new CorruptIndexException(from.docs().file().path(), "the id and payload of ordinal "
                                + ord + " do not match their CRC32C; compaction stopped before changing anything");
                    }
                    to.docs().mapFor(docBytes + length);
                    to.docs().write(docBytes, bytes);
                }
                to.keys().write(at, new KeyRecords.Key(docBytes, k.keyHash(), k.keyLength(), k.payloadLength(),
                        k.dataCrc()));
                docBytes += length;
            }
            long coded = m.codedCount() == n ? count : 0; // codes exist for all committed vectors or none
            Manifest next = new Manifest(m.sequence() + 1, m.indexId(), m.dimension(), m.metricCode(), m.maxDegree(),
                    Manifest.State.CLEAN, count, m.extentSlots(), entry, m.buildBeamWidth(), m.alpha(),
                    IndexFiles.lengthsFor(empty, count, coded, 0, docBytes), m.codeBytes(), coded,
                    coded > 0 ? m.codebookCrc() : 0, m.codeTrainSize(), 0, docBytes, generation);
            to.forceForCommit(0, count, 0, 0, 0, 0, docBytes, true);
            writeIdTable(next.path(dir, FileKind.IDS), next, to, count);
            try (IdStore payloads = new IdStore(dir, next.path(dir, FileKind.IDS), m.indexId(), to, MapMode.READ_ONLY)) {
                FieldIndexes.buildGeneration(dir, m.indexId(), m.extentSlots(), generation, fields, count,
                        payloads::payload);
            }
            io.mmgraph.store.Directories.force(dir);
            return new Result(next, n, count);
        }
    }

    /**
     * The live neighbours of {@code ord}'s deleted neighbours, renumbered, at most R, into {@code out}: the list of a
     * node whose neighbours were all deleted (consolidation keeps such a list as it is), so that it keeps edges.
     */
    private static int liveTwoHops(IndexFiles from, int ord, int[] renumbered, int self, int[] out, int n) {
        int[] first = new int[out.length];
        int[] second = new int[out.length];
        int degree = from.lists().read(ord, first, n);
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        int kept = 0;
        for (int i = 0; i < degree && kept < out.length; i++) {
            int d = from.lists().read(first[i], second, n);
            for (int j = 0; j < d && kept < out.length; j++) {
                int neighbor = renumbered[second[j]];
                if (neighbor >= 0 && neighbor != self && seen.add(neighbor)) {
                    out[kept++] = neighbor;
                }
            }
        }
        return kept;
    }

    private static void copyRecord(RecordFile from, int ord, RecordFile to, int at) {
        MemorySegment.copy(from.segmentOf(ord), from.offsetOf(ord), to.segmentOf(at), to.offsetOf(at),
                from.layout().recordBytes());
    }

    private static void writeIdTable(Path path, Manifest m, IndexFiles files, int count) throws IOException {
        Files.deleteIfExists(path);
        long keyed = 0;
        for (int ord = 0; ord < count; ord++) {
            keyed += files.keys().read(ord).hasKey() ? 1 : 0;
        }
        try (IdTable table = IdTable.create(path, m.indexId(), IdTable.capacityForRebuild(keyed))) {
            for (int ord = 0; ord < count; ord++) {
                KeyRecords.Key k = files.keys().read(ord);
                if (k.hasKey()) {
                    table.insert(k.keyHash(), ord);
                }
            }
            table.force();
            table.file().forceMetadata();
        }
    }

    /**
     * Deletes the data files (payload field columns included) of every generation but {@code m}'s: the leftovers of a compaction that died before its
     * commit, or of the generation it replaced. The writer calls it at open, with
     * the index locked; readers that still map such files keep reading them (an unlinked file lives while mapped).
     */
    static void deleteOtherGenerations(Path dir, Manifest m) throws IOException {
        try (var entries = Files.list(dir)) {
            for (Path p : entries.toList()) {
                String name = p.getFileName().toString();
                for (FileKind kind : FileKind.values()) {
                    String base = kind.fileName().substring(0, kind.fileName().length() - ".mmg".length());
                    boolean ofKind = name.equals(kind.fileName()) || name.matches(Pattern.quote(base) + "\\.\\d+\\.mmg");
                    if (ofKind && !name.equals(kind.fileName(m.generation()))) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
        FieldIndexes.deleteOtherGenerations(dir, m.generation());
    }
}
