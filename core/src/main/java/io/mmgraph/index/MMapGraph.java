package io.mmgraph.index;

import io.mmgraph.format.CodeSource;
import io.mmgraph.format.CodebookFile;
import io.mmgraph.format.CorruptIndexException;
import io.mmgraph.format.FileKind;
import io.mmgraph.format.FormatConstants;
import io.mmgraph.format.IndexFiles;
import io.mmgraph.format.IndexVerifier;
import io.mmgraph.format.Manifest;
import io.mmgraph.format.ManifestFile;
import io.mmgraph.format.NeighborLists;
import io.mmgraph.format.RecordFile;
import io.mmgraph.format.TruncatedIndexException;
import io.mmgraph.format.VectorRecords;
import io.mmgraph.format.VerifyReport;
import io.mmgraph.graph.GraphBuilder;
import io.mmgraph.graph.GraphSearcher;
import io.mmgraph.graph.NodeFilter;
import io.mmgraph.quant.ProductQuantizer;
import io.mmgraph.store.AccessHint;
import io.mmgraph.store.MapMode;
import io.mmgraph.store.Residency;
import io.mmgraph.store.WriterLock;
import io.mmgraph.vector.Kernels;
import io.mmgraph.vector.Metric;
import io.mmgraph.vector.VectorKernels;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A vector index whose vectors and neighbour lists live in memory-mapped files. The files are the index: opening
 * reads the manifest and one header block per file, never the data, and the OS page cache decides what is resident.
 *
 * <h2>Lifecycle</h2>
 * {@link #create} or {@link #open} give the single writer (an exclusive lock on {@code writer.lock}; a second
 * writer, in this JVM or another process, gets {@link io.mmgraph.store.IndexLockedException}).
 * {@link #openReadOnly} gives a reader: no lock, read-only mappings, works on read-only files.
 *
 * <h2>Published and committed</h2>
 * {@link #add} returns once the vector is searchable in this process (published; counted by {@link #size()}).
 * {@link #sync()} is the commit: it makes everything published durable and visible to other processes, whose
 * {@link #refresh()} then picks it up ({@link #committedCount()}). {@link #close()} commits too. A process killed
 * before a commit loses the vectors added since the previous one, nothing committed.
 *
 * <h2>Thread safety</h2>
 * All methods may be called from any thread. Adds, deletions, commits and refreshes are serialized ({@link #delete}
 * runs beside adds; {@link #consolidate} holds both off); searches, {@link #vector} and {@link #verify} run
 * concurrently with them and with each other. After {@link #close()} (idempotent) every
 * method but {@code close} throws {@link IndexClosedException}; a search racing close fails the same way and never
 * reads unmapped memory.
 */
public final class MMapGraph implements AutoCloseable {
    private static final int[] NO_NEIGHBORS = new int[0];
    private static final byte[] NO_BYTES = new byte[0];
    /** The entry point is re-chosen when the index reaches 256, 512, 1024, … vectors. */
    private static final int RECENTRE_FIRST = 256;
    /** Vectors averaged to estimate the data's centre. */
    private static final int CENTRE_SAMPLE = 1024;
    /** Ordinals are non-negative ints; keep clear of array-size limits. */
    static final int MAX_VECTORS = Integer.MAX_VALUE - 8;

    private final Path dir;
    private final MapMode mode;
    private final WriterLock lock;
    private final FileChannel manifestChannel;
    private final IndexFiles files;
    private final Metric metric;
    private final int dimension;
    private final int maxDegree;
    private final VectorKernels kernels = Kernels.get();
    /** Serializes commits, refreshes and close; never held while a node is linked. */
    private final Object writeLock = new Object();
    /** Serializes ordinal allocation: growth, and the vector and empty-list writes of new nodes. */
    private final Object allocationLock = new Object();
    /** Inserts hold the read side while they run; close takes the write side to let them finish first. */
    private final ReentrantReadWriteLock insertGate = new ReentrantReadWriteLock();
    private final boolean recovered;
    private final StoredGraph graph;
    private final GraphBuilder builder;
    /** Per-thread search state: reused by every search on that thread, so a search allocates nothing. */
    private final ThreadLocal<QueryContext> searchers;
    /** Where searches enter the graph (null until the index is big enough); replaced as the index grows. */
    private volatile EntrySample entrySample;
    private final Object entrySampleLock = new Object();
    private final ThreadLocal<GraphBuilder.Worker> workers;
    /** The last commit this process wrote or read. */
    private volatile Manifest manifest;
    /**
     * Nodes visible to searches in this process: the contiguous prefix of fully linked nodes (2). For a reader, the
     * committed count.
     */
    private volatile int published;
    /** Ordinals handed out; nodes in [published, allocated) have their vectors stored and are being linked. */
    private volatile int allocated;
    /** Linked nodes at or above {@code published}, waiting for the ones before them (guarded by itself). */
    private final java.util.Set<Integer> linkedAhead = new java.util.HashSet<>();
    private volatile int entryPoint;
    /** Published count at which the entry point is next moved towards the data's centre. */
    private final AtomicInteger nextRecentre = new AtomicInteger(RECENTRE_FIRST);
    private volatile boolean closed;
    /** The commit of the generation {@link #compact()} wrote; null until then. Closing keeps it and commits nothing. */
    private volatile Manifest compactedTo;
    private int extentsAtCommit;
    /** Product-quantization code bytes per vector; 0 for an index without codes. */
    private final int codeBytes;
    /** The quantizer: trained by this writer, or read from the codebook on first use (opening reads nothing). */
    private volatile ProductQuantizer quantizer;
    /**
     * The codes in huge-page memory ({@link #CODES_IN_MEMORY}): a reader's copy, made at its first coded search; the
     * writer's, made when it first writes codes and extended as it writes more.
     */
    private volatile CodesInMemory codesInMemory;
    /** The threads that touch a beam's vectors before re-ranking, where {@link #RERANK_PREFETCH} asks for them. */
    private volatile RerankPrefetch.Pool prefetchPool;
    private final Object quantizerLock = new Object();
    /** Ordinals below this have codes (the writer: written; a reader: its commit's coded count). */
    private volatile long codedUpTo;
    /** CRC32C of the codebook file, which commits record; 0 while untrained. */
    private volatile int codebookCrc;
    /** The writer's build distances by codes, once the quantizer is known (null until then, and for readers). */
    private volatile CodedPairScorer codedBuild;
    /** The writer's own commits ({@link #setDurability}); null for {@link Durability#ON_DEMAND} and for readers. */
    private volatile AutoCommit autoCommit;
    /** Serializes deletions, and the reading of the deletes log into {@link #tombstones}. */
    private final Object deleteLock = new Object();
    /** The deleted ordinals this handle has read from the deletes log (or written to it). */
    private final Tombstones tombstones = new Tombstones();
    /** Records of the deletes log applied to {@link #tombstones}. */
    private volatile long deletesApplied;
    /** Records of the deletes log this handle knows: the writer's written ones; a reader's commit's. */
    private volatile long deletesKnown;
    /** Ids and payloads; null for a reader of an index of format 1 to 3 (until a writer upgrades it). */
    private volatile IdStore ids;
    /** Payload field columns (with {@link #ids}; null where that is). */
    private volatile FieldIndexes fields;
    /** Serializes the writer's id look-ups and id-table inserts (taken before {@link #allocationLock}). */
    private final Object idLock = new Object();
    /**
     * Upserts whose new vector is not yet committed: new ordinal to the ordinal it replaces (guarded by
     * {@link #deleteLock}). The old one's deletion is written when the new one is published, and at the latest by the
     * commit that first covers it, so that no commit holds both or neither.
     */
    private final java.util.TreeMap<Integer, Integer> supersedes = new java.util.TreeMap<>();
    /** The size of {@link #supersedes}, readable without the lock: publication settles them when it is not 0. */
    private volatile int pendingSupersedes;

    private MMapGraph(Path dir, MapMode mode, WriterLock lock, FileChannel manifestChannel, IndexFiles files,
                      Manifest manifest, boolean recovered) {
        this.dir = dir;
        this.mode = mode;
        this.lock = lock;
        this.manifestChannel = manifestChannel;
        this.files = files;
        this.manifest = manifest;
        this.metric = Metric.fromCode(manifest.metricCode());
        this.dimension = manifest.dimension();
        this.maxDegree = manifest.maxDegree();
        this.published = (int) manifest.committedCount();
        this.allocated = published;
        this.entryPoint = manifest.entryPoint();
        this.recovered = recovered;
        this.extentsAtCommit = files.mappedExtents();
        this.codeBytes = manifest.codeBytes();
        this.codedUpTo = manifest.codedCount();
        this.codebookCrc = manifest.codebookCrc();
        this.deletesKnown = manifest.deleteCount();
        this.ids = files.keys() == null ? null
                : new IdStore(dir, manifest.path(dir, FileKind.IDS), manifest.indexId(), files, mode);
        this.fields = files.keys() == null ? null : fieldIndexes(dir, manifest, mode);
        this.graph = new StoredGraph(files.lists(), files.vectors(), kernels, metric);
        this.searchers = ThreadLocal.withInitial(() -> new QueryContext(graph, dimension));
        if (lock != null) {
            this.builder = new GraphBuilder(graph, new BuildScorer(), manifest.buildBeamWidth(), manifest.alpha(),
                    StoredGraph.signedDistances(metric));
            this.workers = ThreadLocal.withInitial(builder::newWorker);
            while (nextRecentre.get() <= published) {
                nextRecentre.set(nextRecentre.get() * 2);
            }
        } else {
            this.builder = null;
            this.workers = null;
        }
        adviseVectorsForCodes();
    }

    private static FieldIndexes fieldIndexes(Path dir, Manifest m, MapMode mode) {
        return new FieldIndexes(dir, m.indexId(), m.extentSlots(), m.generation(), mode);
    }

    /**
     * An index with codes reads vectors only to re-rank (and to link new nodes), at random, and is meant to outgrow
     * memory: its vectors file gets {@code MADV_RANDOM}, so a fault reads one page rather than the kernel's read-around
     * window (8 MiB on the benchmark machine), while lists and codes keep the default policy that loads them quickly.
     * An explicit {@code -Dmmgraph.advice} wins.
     */
    private void adviseVectorsForCodes() {
        if (codeBytes == 0 || System.getProperty(io.mmgraph.store.ExtentFile.ADVICE_PROPERTY) != null) {
            return;
        }
        try {
            files.file(FileKind.VECTORS).advise(AccessHint.RANDOM);
        } catch (IOException e) {
            // A refused hint changes speed, never results; the default policy stays.
        }
    }

    // ---------------------------------------------------------------------------------------------- open / create

    /** Creates a new, empty index in {@code dir} (created if absent) and opens it for writing. */
    public static MMapGraph create(Path dir, IndexOptions options) throws IOException {
        Files.createDirectories(dir);
        Path manifestPath = FormatConstants.manifestPath(dir);
        if (Files.exists(manifestPath)) {
            throw new FileAlreadyExistsException(dir.toString(), null, "an mmgraph index already exists here");
        }
        WriterLock lock = WriterLock.acquire(dir.resolve(FormatConstants.LOCK_FILE));
        try {
            if (Files.exists(manifestPath)) {
                throw new FileAlreadyExistsException(dir.toString(), null, "an mmgraph index already exists here");
            }
            int codeBytes = options.codeBytes();
            Manifest first = new Manifest(0, new SecureRandom().nextLong(), options.dimension(),
                    options.metric().code(), options.maxDegree(), Manifest.State.CLEAN, 0, options.extentSlots(),
                    -1, options.buildBeamWidth(), options.alpha(),
                    IndexFiles.emptyLengths(options.dimension(), options.maxDegree(), codeBytes,
                            options.extentSlots()), codeBytes, 0, 0, codeBytes > 0 ? options.codeTrainSize() : 0, 0);
            // Data files first, manifest last: the manifest's existence is what makes the directory an index.
            IndexFiles.create(dir, first).close();
            Files.deleteIfExists(FormatConstants.codebookPath(dir)); // a creation that died may have trained one
            IdStore.createEmptyTable(first.path(dir, FileKind.IDS), first.indexId()); // before the manifest names keys
            ManifestFile.create(manifestPath, first);
            io.mmgraph.store.Directories.force(dir);
            return openWriter(dir, lock);
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /** Opens an existing index for writing, repairing neighbour lists if the last writer did not close cleanly. */
    public static MMapGraph open(Path dir) throws IOException {
        requireIndex(dir);
        WriterLock lock = WriterLock.acquire(dir.resolve(FormatConstants.LOCK_FILE));
        try {
            return openWriter(dir, lock);
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /** Opens an existing index for reading through shared read-only mappings. Takes no lock. */
    public static MMapGraph openReadOnly(Path dir) throws IOException {
        return openReadOnly(dir, MapMode.READ_ONLY);
    }

    /**
     * Opens for reading, re-ranking with vectors read as {@code io} says: {@link VectorIo#DIRECT} reads them with
     * direct I/O, in parallel, bypassing the page cache (for an index with codes, larger than memory).
     *
     * @throws IOException also when direct I/O is not available on the index's file system
     */
    public static MMapGraph openReadOnly(Path dir, VectorIo io) throws IOException {
        MMapGraph g = openReadOnly(dir, MapMode.READ_ONLY);
        if (io == VectorIo.DIRECT) {
            try {
                g.directVectors = new DirectVectors(g.manifest.path(dir, FileKind.VECTORS),
                        g.files.file(FileKind.VECTORS).layout(), g.dimension, DIRECT_CACHE_VECTORS);
            } catch (IOException | RuntimeException e) {
                try {
                    g.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        }
        return g;
    }

    /** Vectors the direct-I/O reader caches: 16,384 (8 MiB of 128-d vectors). */
    static final int DIRECT_CACHE_VECTORS = 16_384;
    /** The direct-I/O reader of the vectors, or null when they are read through the mapping. */
    private volatile DirectVectors directVectors;

    /**
     * Opens for reading with {@link MapMode#READ_ONLY} or {@link MapMode#PRIVATE} mappings (see its caveat: a
     * private mapping is not a snapshot).
     */
    public static MMapGraph openReadOnly(Path dir, MapMode mode) throws IOException {
        if (mode == MapMode.READ_WRITE) {
            throw new IllegalArgumentException("a reader maps READ_ONLY or PRIVATE; use open() to write");
        }
        requireIndex(dir);
        for (int attempt = 0; ; attempt++) {
            Manifest m = ManifestFile.read(FormatConstants.manifestPath(dir)).newest();
            IndexFiles files;
            try {
                files = IndexFiles.open(dir, m, mode);
            } catch (java.nio.file.NoSuchFileException e) {
                // A compaction committed a new generation and deleted this one's files since the manifest was read.
                if (attempt < 3 && ManifestFile.read(FormatConstants.manifestPath(dir)).newest().generation()
                        != m.generation()) {
                    continue;
                }
                throw e;
            }
            MMapGraph g = new MMapGraph(dir, mode, null, null, files, m, false);
            try {
                if (g.ids != null) {
                    g.ids.openForReading(); // now, with the files: a compaction may delete this generation's soon
                    g.fields.openForReading();
                }
            } catch (IOException | RuntimeException e) {
                g.close();
                throw e;
            }
            return g;
        }
    }

    private static void requireIndex(Path dir) throws IOException {
        if (!Files.exists(FormatConstants.manifestPath(dir))) {
            throw new IndexNotFoundException(dir);
        }
    }

    private static MMapGraph openWriter(Path dir, WriterLock lock) throws IOException {
        Path manifestPath = FormatConstants.manifestPath(dir);
        Manifest m = ManifestFile.read(manifestPath).newest();
        IndexCompactor.deleteOtherGenerations(dir, m); // a compaction's leftovers, or the generation it replaced
        if (!m.hasKeys()) {
            // Format 1 to 3: add the deletes log where missing and the (empty) keys and docs; the open commit below
            // names them and writes format 4.
            m = IndexFiles.upgrade(dir, m);
            io.mmgraph.store.Directories.force(dir);
        }
        IndexFiles files = IndexFiles.open(dir, m, MapMode.READ_WRITE);
        FileChannel channel = null;
        try {
            boolean recovered = m.state() == Manifest.State.OPEN;
            int[] sparse = recovered ? repairLists(files, m.committedCount()) : new int[0];
            channel = FileChannel.open(manifestPath, StandardOpenOption.READ, StandardOpenOption.WRITE);
            // The id table first (built where missing, as after an upgrade): a commit naming keys must find it.
            IdStore.ensureTable(dir, m, files);
            // Mark the index open: if this writer dies, the next one knows to repair neighbour lists.
            Manifest opened = m.next(Manifest.State.OPEN, m.committedCount(), m.committedLengths());
            ManifestFile.commit(manifestPath, channel, opened);
            MMapGraph g = new MMapGraph(dir, MapMode.READ_WRITE, lock, channel, files, opened, recovered);
            try {
                g.ids.openForWriting(m.docBytes(), (int) m.committedCount());
                g.fields.openForWriting((int) m.committedCount(), g.ids::payload);
                g.relink(sparse);
            } catch (IOException | RuntimeException e) {
                g.close();
                throw e;
            }
            return g;
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                channel.close();
            }
            files.close();
            throw e;
        }
    }

    /**
     * Recovery after an unclean shutdown (see {@link NeighborLists}, invariant 3): lists of committed nodes may
     * name nodes that were never committed, or be half-rewritten; drop such ids and re-checksum, then make the
     * repaired lists durable before the index is marked open again. Returns the nodes the repair left with fewer
     * than a quarter of the maximum degree (a list torn by a power cut can lose them all), for {@link #relink}.
     */
    private static int[] repairLists(IndexFiles files, long committed) {
        NeighborLists lists = files.lists();
        int[] scratch = new int[lists.maxDegree()];
        int few = Math.max(1, lists.maxDegree() / 4);
        boolean changed = false;
        java.util.List<Integer> sparse = new java.util.ArrayList<>();
        for (long ord = 0; ord < committed; ord++) {
            if (lists.sanitize(ord, committed, scratch)) {
                changed = true;
                if (lists.rawCount(ord) < few) {
                    sparse.add((int) ord);
                }
            }
        }
        if (changed) {
            lists.file().forceAll();
        }
        return sparse.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Links again the nodes a repair left (nearly) without neighbours, as if inserted anew, from an entry that still
     * has some: without this a torn list can cut the graph, and searches from the entry point then find few nodes.
     * The next commit makes the new lists durable (commits msync every list).
     */
    private void relink(int[] nodes) throws IOException {
        int n = published;
        if (nodes.length == 0 || n < 2) {
            return;
        }
        NeighborLists lists = files.lists();
        int entry = entryPoint;
        for (int ord = 0; ord < n && lists.rawCount(entry) == 0; ord++) {
            entry = ord; // the entry point itself lost its list: enter by any node that kept one
        }
        try {
            for (int ord : nodes) {
                if (ord != entry) {
                    builder.link(workers.get(), ord, entry, n);
                }
            }
            if (lists.rawCount(entryPoint) == 0 && entry != entryPoint) {
                builder.link(workers.get(), entryPoint, entry, n);
            }
        } catch (InternalError e) {
            throw fault(e);
        }
    }

    // ---------------------------------------------------------------------------------------------- writing

    /**
     * Appends a vector, links it into the graph, and returns its ordinal (0, 1, 2, … in order of allocation). The
     * vector is searchable in this process on return and durable after the next {@link #sync()}. For cosine it is
     * stored normalized. Any number of threads may add at once.
     *
     * @throws DimensionMismatchException if {@code vector.length != dimension()}
     * @throws InvalidVectorException     if a component is NaN or infinite, or a cosine vector is zero
     * @throws io.mmgraph.store.DiskFullException if the files cannot grow; the index stays valid to its last commit
     */
    public int add(float[] vector) throws IOException {
        ensureWritable();
        float[] stored = prepare(vector, "add");
        reportCommitFailure();
        insertGate.readLock().lock();
        try {
            ensureOpen();
            int ord = allocate(new float[][] {stored});
            link(ord);
            afterInsert(ord);
            return ord;
        } finally {
            insertGate.readLock().unlock();
        }
    }

    /**
     * Appends vectors in order and links them using {@code threads} threads; returns the first ordinal (the
     * vectors get {@code first … first + vectors.size() - 1}, in list order). Every vector is validated before any
     * is stored.
     */
    public int addAll(List<float[]> vectors, int threads) throws IOException {
        ensureWritable();
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        float[][] stored = new float[vectors.size()][];
        for (int i = 0; i < stored.length; i++) {
            stored[i] = prepare(vectors.get(i), "addAll[" + i + "]");
        }
        return insertAll(stored, null, null, threads);
    }

    /**
     * Inserts or replaces vectors by id: vector {@code i} is stored with id {@code ids.get(i)} and payload
     * {@code payloads.get(i)} (JSON text by convention, stored as given; null or a null list: none). Where an id
     * names a vector already, the new vector replaces it: the old one is deleted in the commit that first holds the
     * new one, so no commit (and no reader) ever sees both or neither. An id repeated in the list: the last wins.
     * Returns the first new ordinal; the vectors get consecutive ordinals in list order, linked on {@code threads}
     * threads. Everything is validated before anything is stored.
     *
     * @throws IllegalArgumentException if an id is null, empty or longer than 1,024 UTF-8 bytes, a payload longer
     *                                  than 1 MiB, or the lists' sizes differ
     */
    public int upsertAll(List<String> ids, List<float[]> vectors, List<String> payloads, int threads)
            throws IOException {
        ensureWritable();
        if (ids.size() != vectors.size() || (payloads != null && payloads.size() != vectors.size())) {
            throw new IllegalArgumentException("ids, vectors and payloads differ in size: " + ids.size() + ", "
                    + vectors.size() + ", " + (payloads == null ? "none" : payloads.size()));
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        float[][] stored = new float[vectors.size()][];
        byte[][] idBytes = new byte[stored.length][];
        byte[][] payloadBytes = new byte[stored.length][];
        for (int i = 0; i < stored.length; i++) {
            stored[i] = prepare(vectors.get(i), "upsert[" + i + "]");
            idBytes[i] = IdStore.idBytes(ids.get(i));
            payloadBytes[i] = IdStore.payloadBytes(payloads == null ? null : payloads.get(i));
        }
        return insertAll(stored, idBytes, payloadBytes, threads);
    }

    /** {@link #upsertAll} of one vector: stores it under {@code id}, replacing the vector the id named. */
    public int upsert(String id, float[] vector, String payload) throws IOException {
        return upsertAll(java.util.Collections.singletonList(id), java.util.Collections.singletonList(vector),
                java.util.Collections.singletonList(payload), 1);
    }

    private int insertAll(float[][] stored, byte[][] idBytes, byte[][] payloads, int threads) throws IOException {
        if (stored.length == 0) {
            return size();
        }
        reportCommitFailure();
        insertGate.readLock().lock();
        try {
            ensureOpen();
            int first;
            if (idBytes == null) {
                first = allocate(stored);
            } else {
                synchronized (idLock) {
                    first = allocate(stored, idBytes, payloads);
                }
            }
            int end = first + stored.length;
            AtomicInteger cursor = new AtomicInteger(first);
            // A commit that fails must not stop the linking: nodes allocated but never linked would hold back every
            // later node's publication. The first failure is thrown once all are linked.
            java.util.concurrent.atomic.AtomicReference<IOException> commitFailure =
                    new java.util.concurrent.atomic.AtomicReference<>();
            Runnable work = () -> {
                for (int ord = cursor.getAndIncrement(); ord < end; ord = cursor.getAndIncrement()) {
                    try {
                        link(ord);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    try {
                        afterInsert(ord);
                    } catch (IOException e) {
                        commitFailure.compareAndSet(null, e);
                    }
                }
            };
            runOn(Math.min(threads, stored.length), work);
            if (idBytes != null) {
                synchronized (deleteLock) {
                    settleSupersedes(published); // searches skip the replaced vectors from now on
                }
            }
            if (commitFailure.get() != null) {
                throw commitFailure.get();
            }
            return first;
        } finally {
            insertGate.readLock().unlock();
        }
    }

    /** {@link #addAll(List, int)} on every core. */
    public int addAll(List<float[]> vectors) throws IOException {
        return addAll(vectors, Runtime.getRuntime().availableProcessors());
    }

    private static void runOn(int threads, Runnable work) throws IOException {
        if (threads == 1) {
            try {
                work.run();
            } catch (java.io.UncheckedIOException e) {
                throw e.getCause();
            }
            return;
        }
        Thread[] pool = new Thread[threads - 1];
        Throwable[] failure = new Throwable[1];
        for (int i = 0; i < pool.length; i++) {
            pool[i] = Thread.ofPlatform().name("mmgraph-insert-" + i).start(() -> {
                try {
                    work.run();
                } catch (Throwable t) {
                    synchronized (failure) {
                        failure[0] = failure[0] == null ? t : failure[0];
                    }
                }
            });
        }
        try {
            work.run();
        } catch (RuntimeException | Error t) {
            synchronized (failure) {
                failure[0] = failure[0] == null ? t : failure[0];
            }
        }
        for (Thread t : pool) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while inserting");
            }
        }
        if (failure[0] instanceof java.io.UncheckedIOException u) {
            throw u.getCause();
        }
        if (failure[0] instanceof RuntimeException r) {
            throw r;
        }
        if (failure[0] instanceof Error e) {
            throw e;
        }
    }

    /**
     * Stores the vectors and empty lists of new nodes under the allocation lock and returns the first ordinal.
     * Growth happens first, so a full disk allocates nothing.
     */
    private int allocate(float[][] stored) throws IOException {
        return allocate(stored, null, null);
    }

    /**
     * As {@link #allocate(float[][])}, giving vector {@code i} the id {@code idBytes[i]} and payload
     * {@code payloads[i]} (both arrays null: no ids or payloads). The caller holds {@link #idLock} when there are ids:
     * each id is looked up among the ordinals before its own (those of this batch included), and the one it names is
     * superseded (deleted once the new vector is published).
     */
    private int allocate(float[][] stored, byte[][] idBytes, byte[][] payloads) throws IOException {
        synchronized (allocationLock) {
            int first = allocated;
            if ((long) first + stored.length > MAX_VECTORS) {
                throw new IllegalStateException("index " + dir + " holds at most " + MAX_VECTORS + " vectors");
            }
            try {
                files.mapFor((long) first + stored.length);
                fields.mapFor((long) first + stored.length);
                java.util.function.IntPredicate live = idBytes == null ? null : liveOrdinals();
                for (int i = 0; i < stored.length; i++) {
                    int ord = first + i;
                    files.vectors().write(ord, stored[i]);
                    files.lists().write(ord, NO_NEIGHBORS, 0);
                    if (idBytes == null) {
                        ids.append(ord, null, NO_BYTES);
                        fields.append(ord, NO_BYTES);
                        continue;
                    }
                    byte[] id = idBytes[i];
                    int old = id == null ? -1 : ids.find(id, ord, live);
                    long hash = ids.append(ord, id, payloads[i]);
                    fields.append(ord, payloads[i]);
                    if (id != null) {
                        ids.index(hash, ord, ord);
                    }
                    if (old >= 0) {
                        synchronized (deleteLock) {
                            supersedes.put(ord, old);
                            pendingSupersedes = supersedes.size();
                        }
                    }
                }
                if (codeBytes > 0) {
                    encode(first, stored);
                }
            } catch (Throwable e) {
                // The ordinals are handed out again: forget what this batch said of them (whatever failed: an Error
                // too, or a superseded vector would be deleted by the next batch's ordinal).
                ids.rollback(first);
                synchronized (deleteLock) {
                    supersedes.tailMap(first).clear();
                    pendingSupersedes = supersedes.size();
                }
                if (e instanceof InternalError ie) {
                    throw fault(ie);
                }
                throw e;
            }
            if (first == 0) {
                entryPoint = 0; // the first node is the entry until the graph is big enough to pick a central one
            }
            fields.written((long) first + stored.length);
            allocated = first + stored.length;
            return first;
        }
    }

    /** Training runs this many k-means iterations per subspace. */
    private static final int CODE_TRAIN_ITERATIONS = 12;
    /** The training sample's vectors stay below this many bytes (high dimensions get fewer vectors). */
    private static final long CODE_TRAIN_SAMPLE_BYTES = 128L << 20;

    /**
     * Writes the codes of the new nodes {@code [first, first + stored.length)} (under the allocation lock, after
     * their vectors), training the quantizer first when the index reaches its train size, and encoding any earlier
     * node without a code (all of them, right after training).
     */
    private void encode(int first, float[][] stored) throws IOException {
        ProductQuantizer pq = quantizer;
        if (pq == null) {
            if (codedUpTo > 0) {
                pq = quantizer();
            } else if ((long) first + stored.length >= manifest.codeTrainSize()) {
                pq = train(first, stored);
            } else {
                return;
            }
        }
        byte[] code = new byte[codeBytes];
        float[] v = new float[dimension];
        for (long ord = codedUpTo; ord < first; ord++) {
            files.vectors().read(ord, v);
            pq.encode(v, code, 0);
            files.codes().write(ord, code);
        }
        for (int i = 0; i < stored.length; i++) {
            pq.encode(stored[i], code, 0);
            files.codes().write(first + i, code);
        }
        codedUpTo = (long) first + stored.length;
        CodeSource source = files.codes();
        if (CODES_IN_MEMORY) {
            CodesInMemory copy = codesInMemory;
            if (copy == null) {
                synchronized (quantizerLock) {
                    copy = new CodesInMemory(files.codes(), false);
                    codesInMemory = copy;
                }
            }
            copy.load(codedUpTo); // the codes just written, hot (all of them, the first time after an open)
            source = copy;
        }
        if (codedBuild == null) {
            // Only now: a linking thread that sees the coded build must find every code it may read written.
            codedBuild = new CodedPairScorer(pq, source, files.vectors(), kernels, metric, graph);
        }
    }

    /**
     * Trains the quantizer on an evenly spaced sample of the stored vectors and the new ones, and writes the codebook
     * durably (before any commit can name it). Seeded by the index id: one index always trains the same codebook.
     */
    private ProductQuantizer train(int first, float[][] stored) throws IOException {
        long total = (long) first + stored.length;
        long byBytes = Math.max(256, CODE_TRAIN_SAMPLE_BYTES / ((long) dimension * Float.BYTES));
        int size = (int) Math.min(total, Math.min(IndexOptions.CODE_TRAIN_SAMPLE, byBytes));
        float[][] sample = new float[size][];
        for (int i = 0; i < size; i++) {
            long ord = (long) i * total / size;
            if (ord >= first) {
                sample[i] = stored[(int) (ord - first)];
            } else {
                sample[i] = new float[dimension];
                files.vectors().read(ord, sample[i]);
            }
        }
        ProductQuantizer pq = ProductQuantizer.train(sample, codeBytes, metric, manifest.indexId(),
                CODE_TRAIN_ITERATIONS);
        codebookCrc = CodebookFile.write(dir, pq);
        quantizer = pq;
        return pq;
    }

    /** The quantizer, read from the codebook file on first use; the index has codes ({@code codedUpTo > 0}). */
    private ProductQuantizer quantizer() throws IOException {
        ProductQuantizer pq = quantizer;
        if (pq != null) {
            return pq;
        }
        synchronized (quantizerLock) {
            pq = quantizer;
            if (pq == null) {
                pq = CodebookFile.read(dir, codebookCrc);
                if (pq.codeBytes() != codeBytes || pq.dimension() != dimension || pq.metric() != metric
                        || pq.centroidsPerSubspace() != ProductQuantizer.MAX_CENTROIDS) {
                    throw new CorruptIndexException(io.mmgraph.format.FormatConstants.codebookPath(dir),
                            "the codebook is for " + pq.dimension() + "-d " + pq.metric() + " vectors in "
                                    + pq.codeBytes() + " bytes with " + pq.centroidsPerSubspace()
                                    + " centroids per subspace; the index has " + dimension + "-d " + metric
                                    + " vectors, " + codeBytes + "-byte codes and needs "
                                    + ProductQuantizer.MAX_CENTROIDS + " (every byte value a centroid)");
                }
                quantizer = pq;
            }
        }
        return pq;
    }

    /**
     * The builder's distances: by the full vectors until the index has a trained quantizer, then by codes, so that
     * linking never reads the vectors of other nodes (an index with codes is meant to outgrow memory).
     */
    private final class BuildScorer implements io.mmgraph.graph.PairScorer {
        @Override
        public float distance(int a, int b) {
            CodedPairScorer c = codedBuild;
            return c != null ? c.distance(a, b) : graph.distance(a, b);
        }

        @Override
        public io.mmgraph.graph.NodeScorer from(int from) {
            CodedPairScorer c = codedBuild;
            return c != null ? c.from(from) : graph.from(from);
        }

        @Override
        public io.mmgraph.graph.NodeScorer fromInserted(int node) {
            CodedPairScorer c = codedBuild;
            return c != null ? c.fromInserted(node) : graph.from(node);
        }
    }

    /** Links a stored node into the graph, then publishes the prefix of linked nodes it completes. */
    private void link(int ord) throws IOException {
        try {
            int entry = entryPoint;
            builder.link(workers.get(), ord, entry, allocated);
        } catch (InternalError e) {
            throw fault(e);
        }
        int visible;
        synchronized (linkedAhead) {
            // (2) Publication: only a contiguous prefix of linked nodes becomes visible, so a search never starts
            // from or follows a node whose edges are not written yet.
            int p = published;
            if (ord == p) {
                p++;
                while (linkedAhead.remove(p)) {
                    p++;
                }
                published = p;
            } else {
                linkedAhead.add(ord);
            }
            visible = published;
        }
        if (pendingSupersedes > 0) {
            synchronized (deleteLock) {
                settleSupersedes(visible); // upserts published now: their old vectors leave every search
            }
        }
        int threshold = nextRecentre.get();
        if (visible >= threshold && nextRecentre.compareAndSet(threshold, threshold * 2)) {
            recentre(visible);
        }
    }

    /**
     * Moves the entry point to the node nearest the data's centre (estimated from an evenly spaced sample), the
     * medoid-like start DiskANN uses, so searches begin in the middle of the data rather than wherever node 0 fell.
     */
    private void recentre(int visible) throws IOException {
        float[] centre = new float[dimension];
        float[] v = new float[dimension];
        int samples = Math.min(visible, CENTRE_SAMPLE);
        try {
            for (int i = 0; i < samples; i++) {
                files.vectors().read((int) ((long) i * visible / samples), v);
                for (int j = 0; j < dimension; j++) {
                    centre[j] += v[j] / samples;
                }
            }
            if (metric.normalizes() && Kernels.normalize(centre) == 0f) {
                return;
            }
            GraphSearcher searcher = searchers.get().searcher;
            if (searcher.search(graph.query(centre), entryPoint, builder.beamWidth(), visible) > 0) {
                entryPoint = searcher.resultNodes()[0];
            }
        } catch (InternalError e) {
            throw fault(e);
        }
    }

    // ---------------------------------------------------------------------------------------------- deleting

    /**
     * Deletes the vector at {@code ordinal}: from the return on, no search of this handle returns it; after the next
     * commit, no reader's search that has refreshed. Its vector and list stay in the files, and the graph keeps
     * walking through it (a deleted node may be the only path to live ones), until compaction reclaims it. Deleting
     * is logged, not done in place: a deletion is durable exactly when the commit that covers it is.
     *
     * @return true if the vector was deleted now, false if it already was
     * @throws IndexOutOfBoundsException if {@code ordinal} is not a published vector's
     */
    public boolean delete(int ordinal) throws IOException {
        ensureWritable();
        reportCommitFailure();
        insertGate.readLock().lock();
        try {
            ensureOpen();
            int n = published;
            if (ordinal < 0 || ordinal >= n) {
                throw new IndexOutOfBoundsException("ordinal " + ordinal + " outside the " + n + " published vectors");
            }
            synchronized (deleteLock) {
                applyDeletes();
                if (!logDeletion(ordinal)) {
                    return false;
                }
            }
        } catch (InternalError e) {
            throw fault(e);
        } catch (IllegalStateException e) {
            throw closedOr(e);
        } finally {
            insertGate.readLock().unlock();
        }
        afterChange("vector " + ordinal + " was deleted, but the commit it triggered failed (searches skip it; the "
                + "deletion is not durable): ");
        return true;
    }

    /**
     * Appends {@code ordinal}'s deletion to the log and marks it, unless it is deleted already (then false). Holds
     * {@link #deleteLock}, with the log applied.
     */
    private boolean logDeletion(int ordinal) throws IOException {
        if (tombstones.isDeleted(ordinal)) {
            return false;
        }
        long record = deletesKnown;
        io.mmgraph.format.DeleteRecords log = files.deletes();
        log.mapFor(record + 1);
        log.write(record, ordinal);
        tombstones.mark(ordinal);
        deletesApplied = record + 1;
        deletesKnown = record + 1;
        return true;
    }

    /**
     * Deletes the vectors that upserts published below {@code n} replace (holds {@link #deleteLock}): an upsert's
     * own thread calls it once its vector is published, a commit for the count it covers.
     */
    private void settleSupersedes(int n) throws IOException {
        if (supersedes.isEmpty() || supersedes.firstKey() >= n) {
            return;
        }
        applyDeletes();
        var due = supersedes.headMap(n);
        for (int old : due.values()) {
            logDeletion(old);
        }
        due.clear();
        pendingSupersedes = supersedes.size();
    }

    /** The ordinals not deleted, as this handle knows them (the deletes log applied first). */
    private java.util.function.IntPredicate liveOrdinals() throws IOException {
        liveFilter();
        return ord -> !tombstones.isDeleted(ord);
    }

    /**
     * Deletes the vector {@code id} names, as {@link #delete(int)}; false when it names none (or it is deleted).
     */
    public boolean delete(String id) throws IOException {
        ensureWritable();
        byte[] key = IdStore.idBytes(id);
        int ordinal;
        try {
            synchronized (idLock) {
                ensureOpen();
                ordinal = ids.find(key, allocated, liveOrdinals());
            }
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
            while (ordinal >= published) { // stored by an upsert still linking it
                ensureOpen();
                if (System.nanoTime() > deadline) {
                    throw new IOException("id " + id + " names vector " + ordinal + ", which an insert has not "
                            + "published within 60 s (its linking failed?); nothing deleted");
                }
                java.util.concurrent.locks.LockSupport.parkNanos(100_000);
            }
        } catch (InternalError e) {
            throw fault(e);
        } catch (IllegalStateException e) {
            throw closedOr(e);
        }
        return ordinal >= 0 && delete(ordinal);
    }

    /**
     * The vector {@code id} names, as this handle sees it (a reader: as of its last refresh), or empty when none
     * does: an id never stored, deleted, or on an index without ids.
     */
    public java.util.Optional<Document> get(String id) throws IOException {
        ensureOpen();
        byte[] key = IdStore.idBytes(id);
        IdStore store = ids;
        if (store == null) {
            return java.util.Optional.empty();
        }
        try {
            int ordinal = store.find(key, published, liveOrdinals());
            return ordinal < 0 ? java.util.Optional.empty()
                    : java.util.Optional.of(new Document(id, ordinal, store.payload(ordinal)));
        } catch (InternalError e) {
            throw fault(e);
        } catch (IllegalStateException e) {
            throw closedOr(e);
        }
    }

    /** The id stored with vector {@code ordinal}, or null when it has none. */
    public String id(int ordinal) throws IOException {
        return keyField(ordinal, false);
    }

    /** The payload stored with vector {@code ordinal}, or null when it has none. */
    public String payload(int ordinal) throws IOException {
        return keyField(ordinal, true);
    }

    /**
     * A search filter ({@link SearchOptions#withFilter}) that accepts the vectors whose payload satisfies
     * {@code condition}; a payload that is not JSON matches no field condition. Conditions on fields with a column
     * ({@link #indexField}) read a 16-byte entry per test; the rest read and parse the vector's payload, which costs
     * about a microsecond per candidate the search meets. The filter uses the columns open when it is made.
     */
    public NodeFilter payloadFilter(io.mmgraph.filter.PayloadFilter condition) {
        ensureOpen();
        java.util.Objects.requireNonNull(condition, "condition");
        FieldIndexes columns = fields;
        ColumnFilter onColumns = columns == null ? null : ColumnFilter.compile(condition, columns);
        return new NodeFilter() {
            @Override
            public boolean accepts(int ordinal) {
                if (onColumns != null) {
                    int known = onColumns.test(ordinal);
                    if (known != ColumnFilter.UNKNOWN) {
                        return known == ColumnFilter.TRUE;
                    }
                }
                return onPayload(ordinal);
            }

            /** The condition on the payload itself (a payload that is not JSON has no fields). */
            private boolean onPayload(int ordinal) {
                try {
                    return condition.test(FieldIndexes.parse(payload(ordinal)));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }

            @Override
            public boolean costly() {
                // a payload read and parsed per test: the plan counts tests; on columns a test costs less than a distance
                return onColumns == null || !onColumns.complete();
            }

            @Override
            public java.util.BitSet accepted(int n) {
                return onColumns == null ? null : onColumns.accepted(n, this::onPayload);
            }
        };
    }

    /**
     * Indexes payload field {@code field} (a path of keys joined by dots): builds its column ({@link FieldColumn})
     * from every stored payload, after which payload filters on it ({@link #payloadFilter}) read a 16-byte entry per
     * test instead of the payload, and every vector added writes its entry. Inserts wait while the column is built
     * (about a second per million payloads). Readers use it from their next {@link #refresh()}. Indexing is
     * derived data: no vector or payload changes, and dropping it ({@link #dropFieldIndex}) loses nothing.
     *
     * @return false when the field was indexed already
     */
    public boolean indexField(String field) throws IOException {
        ensureWritable();
        io.mmgraph.format.FieldColumn.checkField(field);
        synchronized (writeLock) {
            ensureOpen();
            ensureNotCompacted();
            synchronized (allocationLock) {
                try {
                    return fields.add(field, (int) manifest.committedCount(), allocated, ids::payload);
                } catch (InternalError e) {
                    throw fault(e);
                }
            }
        }
    }

    /** Drops the column of payload field {@code field}; false when it had none. Filters on it read payloads again. */
    public boolean dropFieldIndex(String field) throws IOException {
        ensureWritable();
        synchronized (writeLock) {
            ensureOpen();
            ensureNotCompacted();
            return fields.drop(field);
        }
    }

    /** A writer that compacted is closing: its generation's files are no longer the index's. */
    private void ensureNotCompacted() {
        if (compactedTo != null) {
            throw new IndexClosedException("index " + dir + " was compacted by this writer, which is closing; reopen it");
        }
    }

    /** The committed count of the newest manifest on disk (this handle's, where it cannot be read). */
    private long newestCommitted() {
        try {
            return ManifestFile.read(FormatConstants.manifestPath(dir)).newest().committedCount();
        } catch (IOException e) {
            return manifest.committedCount();
        }
    }

    /** The columns (tests); null for a reader of an index without payloads. */
    FieldIndexes fieldIndexes() {
        return fields;
    }

    /** The payload fields with a column this handle has open (a reader: as of its last {@link #refresh()}), sorted. */
    public List<String> indexedFields() {
        ensureOpen();
        FieldIndexes columns = fields;
        return columns == null ? List.of() : columns.fields();
    }

    private String keyField(int ordinal, boolean payload) throws IOException {
        ensureOpen();
        int n = published;
        if (ordinal < 0 || ordinal >= n) {
            throw new IndexOutOfBoundsException("ordinal " + ordinal + " outside [0, " + n + ")");
        }
        IdStore store = ids;
        if (store == null) {
            return null;
        }
        try {
            return payload ? store.payload(ordinal) : store.id(ordinal);
        } catch (InternalError e) {
            throw fault(e);
        } catch (IllegalStateException e) {
            throw closedOr(e);
        }
    }

    /**
     * Consolidates deletions into the graph (FreshDiskANN): every live node whose list names deleted nodes gets, in
     * their place, their live neighbours, robust-pruned with its own back to at most R; a deleted entry point is
     * replaced by a live node. Searches then no longer pass through deleted nodes, which keep their records (and
     * their lists, for searches that still enter by them) until compaction reclaims them. Inserts and deletions wait
     * while it runs; searches do not. It commits first (a crash must not leave lists that shun vectors whose deletion
     * was then lost) and makes the rewritten lists durable before it returns.
     *
     * @return how many lists were rewritten
     */
    public int consolidate() throws IOException {
        ensureWritable();
        reportCommitFailure();
        insertGate.writeLock().lock();
        try {
            ensureOpen();
            synchronized (writeLock) {
                commit(Manifest.State.OPEN);
            }
            NodeFilter live = liveFilter();
            int n = published;
            if (live == null || n == 0) {
                return 0;
            }
            GraphBuilder.Worker w = workers.get();
            int changed = 0;
            for (int node = 0; node < n; node++) {
                if (live.accepts(node) && builder.consolidate(w, node, live, n)) {
                    changed++;
                }
            }
            int entry = entryPoint;
            if (entry >= 0 && !live.accepts(entry)) {
                int[] around = new int[maxDegree];
                int a = graph.neighbors(entry, around, n);
                int next = -1;
                for (int i = 0; i < a && next < 0; i++) {
                    next = live.accepts(around[i]) ? around[i] : -1;
                }
                for (int ord = 0; ord < n && next < 0; ord++) {
                    next = live.accepts(ord) ? ord : -1;
                }
                if (next >= 0) {
                    entryPoint = next;
                }
            }
            synchronized (writeLock) {
                files.lists().file().forceAll(); // a commit that changes no count would skip them
                commit(Manifest.State.OPEN);
            }
            return changed;
        } catch (InternalError e) {
            throw fault(e);
        } catch (IllegalStateException e) {
            throw closedOr(e);
        } finally {
            insertGate.writeLock().unlock();
        }
    }

    /**
     * Compacts the index, then closes this writer: consolidates deletions ({@link #consolidate}), commits, and writes
     * the live vectors, numbered anew in order (with their ids, payloads, codes and neighbour lists), to the files of
     * the index's next generation, which one manifest commit then names; the previous generation's files are deleted
     * as this writer closes. Deleted vectors' space is reclaimed and ordinals change (ids do not). A crash at any
     * point leaves either generation whole. Readers that have the index open go on searching the generation they
     * mapped; their next {@link #refresh()} throws {@link IndexCompactedException}, and they reopen. Needs disk space
     * for the live part of the index besides the current files. Reopen the index to go on writing.
     *
     * @return the vectors before and after (the deleted ones are gone)
     */
    public CompactionResult compact() throws IOException {
        ensureWritable();
        reportCommitFailure();
        AutoCommit a;
        synchronized (autoCommitLock) {
            closing = true; // no durability mode starts a timer now: this writer closes when done
            a = autoCommit;
            autoCommit = null;
        }
        if (a != null) {
            a.close();
        }
        insertGate.writeLock().lock();
        try {
            IndexCompactor.Result r;
            try {
                consolidate();
                synchronized (writeLock) {
                    ensureOpen();
                    commit(Manifest.State.OPEN);
                    r = IndexCompactor.writeNextGeneration(dir, manifest, files, liveOrdinals(),
                            fields.fields());
                    ManifestFile.commit(FormatConstants.manifestPath(dir), manifestChannel, r.manifest());
                    manifest = r.manifest();
                    compactedTo = r.manifest();
                }
            } catch (IOException | RuntimeException | InternalError e) {
                // Nothing names the next generation: drop what was written of it, and go on as before.
                try {
                    IndexCompactor.deleteOtherGenerations(dir, manifest);
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
                synchronized (autoCommitLock) {
                    closing = false;
                }
                if (a != null) {
                    setDurability(a.durability());
                }
                if (e instanceof InternalError ie) {
                    throw fault(ie);
                }
                throw e;
            }
            close();
            return new CompactionResult(r.before(), r.after(), r.manifest().generation());
        } finally {
            if (insertGate.writeLock().isHeldByCurrentThread()) {
                insertGate.writeLock().unlock();
            }
        }
    }

    /** What {@link #compact()} did: vectors before and after, and the generation it wrote. */
    public record CompactionResult(int before, int after, int generation) {}

    /** Whether {@code ordinal} is deleted, as this handle sees it (a reader: as of its last refresh). */
    public boolean isDeleted(int ordinal) throws IOException {
        ensureOpen();
        try {
            liveFilter();
        } catch (InternalError e) {
            throw fault(e);
        } catch (IllegalStateException e) {
            throw closedOr(e);
        }
        return tombstones.isDeleted(ordinal);
    }

    /** Deleted vectors among the {@link #size()} this handle sees. */
    public long deletedCount() {
        return deletesKnown;
    }

    /** The filter searches apply: null while nothing is deleted (the walk then tests nothing). */
    private NodeFilter liveFilter() throws IOException {
        if (deletesApplied < deletesKnown) {
            synchronized (deleteLock) {
                applyDeletes();
            }
        }
        return tombstones.count() == 0 ? null : tombstones;
    }

    /**
     * Reads the deletes log's records this handle knows but has not applied into {@link #tombstones} (the first
     * search or deletion after open or refresh: opening reads no data). Holds {@link #deleteLock}.
     */
    private void applyDeletes() throws IOException {
        long to = deletesKnown;
        long from = deletesApplied;
        if (from >= to) {
            return;
        }
        io.mmgraph.format.DeleteRecords log = files.deletes();
        int n = published;
        for (long i = from; i < to; i++) {
            int ordinal = log.read(i);
            if (ordinal < 0 || ordinal >= n) {
                throw new CorruptIndexException(log.file().path(), "deletion " + i + (ordinal == -1
                        ? " does not match its CRC32C" : " names ordinal " + ordinal + ", outside the " + n
                        + " vectors"));
            }
            tombstones.mark(ordinal);
        }
        deletesApplied = to;
    }

    /**
     * Sets when this writer commits on its own, besides {@link #sync()} and {@link #close()} (default
     * {@link Durability#ON_DEMAND}): after every {@code everyInserts} inserts, on the inserting thread, and/or every
     * {@code everyMillis} ms while inserts wait, on a virtual thread of the writer's. A periodic commit that fails is
     * reported by the next insert or {@code sync()} (before it inserts anything); a count-triggered commit that fails
     * is thrown by the insert that triggered it, which was made (stored and searchable, not durable).
     */
    public void setDurability(Durability durability) throws IOException {
        ensureWritable();
        synchronized (autoCommitLock) {
            if (closing) {
                throw new IndexClosedException("index " + dir + " is closed");
            }
            AutoCommit old = autoCommit;
            autoCommit = durability.equals(Durability.ON_DEMAND) ? null
                    : new AutoCommit(durability, new AutoCommit.Writer() {
                        @Override
                        public void commit() throws IOException {
                            commitPublished();
                        }

                        @Override
                        public long uncommitted() {
                            Manifest m = manifest;
                            return published - m.committedCount() + (deletesKnown - m.deleteCount());
                        }
                    }, dir.getFileName() == null ? "index" : dir.getFileName().toString());
            if (old != null) {
                old.close();
                old.reportFailure();
            }
        }
    }

    /** When this writer commits on its own ({@link #setDurability}); {@link Durability#ON_DEMAND} for readers. */
    public Durability durability() {
        AutoCommit a = autoCommit;
        return a == null ? Durability.ON_DEMAND : a.durability();
    }

    private final Object autoCommitLock = new Object();
    /** Set by close() under {@link #autoCommitLock}: no durability mode may start a timer after it. */
    private boolean closing;

    private void reportCommitFailure() throws IOException {
        AutoCommit a = autoCommit;
        if (a != null) {
            a.reportFailure();
        }
    }

    /** After inserting {@code ord}: a count-triggered commit; its failure says the insert itself was made. */
    private void afterInsert(int ord) throws IOException {
        if (autoCommit != null) {
            afterChange("vector " + ord + " was inserted, but the commit it triggered failed (it is searchable, not "
                    + "durable): ");
        }
    }

    /** After an insert or a deletion: a count-triggered commit, whose failure is reported as {@code made} says. */
    private void afterChange(String made) throws IOException {
        AutoCommit a = autoCommit;
        if (a != null) {
            try {
                a.afterInsert();
            } catch (IOException e) {
                throw new IOException(made + e.getMessage(), e);
            }
        }
    }

    /**
     * Commits: makes every published vector durable and visible to other processes. Data is msync'ed before the
     * manifest copy that names it is written and synced (DESIGN.md §4), so a crash at any point leaves either the
     * previous or this commit.
     */
    public void sync() throws IOException {
        ensureWritable();
        reportCommitFailure();
        commitPublished();
    }

    private void commitPublished() throws IOException {
        synchronized (writeLock) {
            ensureOpen();
            commit(Manifest.State.OPEN);
        }
    }

    private void commit(Manifest.State state) throws IOException {
        if (compactedTo != null) {
            return; // the compacted generation is committed; nothing of the previous one is left to commit
        }
        Manifest current = manifest;
        long deletes;
        int n;
        synchronized (deleteLock) {
            // Under the lock no deletion is written: each one written before named an ordinal published before it,
            // so every deletion this commit covers names a vector it covers too. The upserts it covers get their old
            // vectors' deletions in the same commit.
            n = published;
            settleSupersedes(n);
            deletes = deletesKnown;
        }
        int entry = n == 0 ? -1 : entryPoint < n ? entryPoint : 0;
        long coded = Math.min(codedUpTo, n);
        if (n == current.committedCount() && state == current.state() && entry == current.entryPoint()
                && coded == current.codedCount() && deletes == current.deleteCount()) {
            return;
        }
        int extents = files.mappedExtents();
        long docBytes = ids.docBytes(n);
        files.forceForCommit(current.committedCount(), n, current.codedCount(), current.deleteCount(), deletes,
                current.docBytes(), docBytes, extents != extentsAtCommit);
        ids.force();
        fields.force(n);
        Manifest next = current.next(state, n, entry, coded, coded > 0 ? codebookCrc : 0, deletes, docBytes,
                IndexFiles.lengthsFor(current, n, coded, deletes, docBytes));
        ManifestFile.commit(FormatConstants.manifestPath(dir), manifestChannel, next);
        extentsAtCommit = extents;
        manifest = next;
        try {
            fields.cover(n);
        } catch (IOException e) {
            // The commit stands; the columns only lag behind it (filters read those payloads until the next commit).
        }
    }

    // ---------------------------------------------------------------------------------------------- reading

    /**
     * Readers: picks up the newest commit (mapping the extents it needs). Returns whether anything changed.
     * A writer is always current, and gets false.
     */
    public boolean refresh() throws IOException {
        ensureOpen();
        if (lock != null) {
            return false;
        }
        synchronized (writeLock) {
            ensureOpen();
            Manifest newest = ManifestFile.read(FormatConstants.manifestPath(dir)).newest();
            Manifest current = manifest;
            if (newest.sequence() == current.sequence()) {
                FieldIndexes columns = fields;
                if (columns != null) {
                    columns.refresh(); // a column built, or covered further, since: they come without a commit
                }
                return false;
            }
            if (newest.indexId() != current.indexId()) {
                throw new CorruptIndexException(FormatConstants.manifestPath(dir),
                        "the index was replaced by another one since it was opened; reopen it");
            }
            if (newest.generation() != current.generation()) {
                throw new IndexCompactedException(dir, current.generation(), newest.generation());
            }
            for (FileKind kind : files.kinds()) {
                RecordFile rf = files.file(kind);
                long need = newest.committedLength(kind);
                long have = rf.fileSize();
                if (have < need) {
                    throw new TruncatedIndexException(rf.path(), need, have);
                }
            }
            if (newest.kinds().size() > files.kinds().size()) {
                files.attach(dir, newest, mode); // a writer upgraded the index since this reader opened it
            }
            files.mapFor(newest.committedCount());
            if (files.deletes() != null) {
                files.deletes().mapFor(newest.deleteCount());
            }
            if (files.keys() != null) {
                files.docs().mapFor(newest.docBytes());
                if (ids == null) {
                    IdStore store = new IdStore(dir, newest.path(dir, FileKind.IDS), newest.indexId(), files, mode);
                    store.openForReading();
                    ids = store;
                    fields = fieldIndexes(dir, newest, mode);
                }
                ids.refresh();
                fields.refresh();
            }
            manifest = newest;
            entryPoint = newest.entryPoint();
            codebookCrc = newest.codebookCrc();
            codedUpTo = newest.codedCount();
            boolean changed = published != (int) newest.committedCount() || deletesKnown != newest.deleteCount();
            published = (int) newest.committedCount();
            deletesKnown = newest.deleteCount();
            return changed || newest.state() != current.state();
        }
    }

    /** A copy of the vector at {@code ordinal} (normalized, for cosine). */
    public float[] vector(int ordinal) throws IOException {
        ensureOpen();
        int n = published;
        if (ordinal < 0 || ordinal >= n) {
            throw new IndexOutOfBoundsException("ordinal " + ordinal + " outside [0, " + n + ")");
        }
        float[] out = new float[dimension];
        try {
            files.vectors().read(ordinal, out);
            deliverPendingFault(out);
        } catch (InternalError e) {
            throw fault(e);
        } catch (IllegalStateException e) {
            throw closedOr(e);
        }
        return out;
    }

    /** The {@code k} approximate nearest vectors to {@code query}, nearest first, by graph search at the default ef. */
    public List<Neighbor> search(float[] query, int k) throws IOException {
        return search(query, SearchOptions.k(k)).neighbors();
    }

    /**
     * Searches the published vectors: by beam search over the graph with beam width {@code max(ef, k)}, or, with
     * {@link SearchOptions#exact()}, by brute force over every vector (the oracle recall is measured against); a
     * {@link SearchOptions#withFilter filtered} search picks between the two by its filter's estimated selectivity
     * ({@link FilterPlan}). Deleted vectors are never returned. Any number of threads may search at once, while
     * others add.
     */
    public SearchResult search(float[] query, SearchOptions options) throws IOException {
        ensureOpen();
        QueryContext ctx = searchers.get();
        prepareInto(query, "query", ctx.query);
        int n = published;
        if (n == 0) {
            return new SearchResult(List.of(), 0);
        }
        try {
            NodeFilter live = liveFilter();
            SearchResult result = options.filter() != null || (live != null && !options.exact())
                    ? filteredSearch(ctx, options, n)
                    : options.exact() ? exactSearch(ctx.query, options.k(), n, live)
                    : graphSearch(ctx, options, n, null);
            deliverPendingFault(result);
            return result;
        } catch (InternalError e) {
            throw fault(e);
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause(); // a filter that read the index (a payload filter) met damage: the named error
        } catch (IllegalStateException e) {
            throw closedOr(e);
        }
    }

    /**
     * A search with a filter, or over an index with deletions (the live nodes are then what is accepted): the plan
     * {@link FilterPlan} picks, and the scan after a walk that found too few.
     */
    private SearchResult filteredSearch(QueryContext ctx, SearchOptions options, int n) throws IOException {
        NodeFilter accept = FilterPlan.both(liveFilter(), options.filter());
        double accepted = options.filter() == null ? Math.max(0, 1 - tombstones.count() / (double) n)
                : FilterPlan.acceptedFraction(accept, n);
        if (options.exact() || FilterPlan.scanIsCheaper(accepted, n, options.beamWidth(), maxDegree, accept.costly())) {
            return exactSearch(ctx.query, options.k(), n, accept);
        }
        SearchResult walked = graphSearch(ctx, options, n, options.filter());
        if (walked.neighbors().size() >= options.k()) {
            return walked;
        }
        SearchResult scanned = exactSearch(ctx.query, options.k(), n, accept);
        return new SearchResult(scanned.neighbors(), walked.distanceComputations() + scanned.distanceComputations());
    }

    /** A graph search returning only nodes that {@code filter} (null: all) accepts and that are not deleted. */
    private SearchResult graphSearch(QueryContext ctx, SearchOptions options, int n, NodeFilter filter)
            throws IOException {
        int k = Math.min(options.k(), beamSearch(ctx, options.beamWidth(), n, options.codes(), filter));
        Neighbor[] out = new Neighbor[k];
        for (int i = 0; i < k; i++) {
            out[i] = new Neighbor(ctx.nodes[i], ctx.distances[i]);
        }
        return new SearchResult(List.of(out), ctx.distanceComputations());
    }

    /**
     * Beam search from the seeds for the query prepared in {@code ctx}; returns how many nodes it found, nearest
     * first in {@code ctx.nodes} and {@code ctx.distances}. Where the index has codes for all {@code n} nodes and
     * {@code useCodes}, the walk scores nodes by their codes (a small file that stays in memory) and the beam's
     * nodes are then re-ranked by their full vectors, the only vector reads of the search.
     */
    private int beamSearch(QueryContext ctx, int beamWidth, int n, boolean useCodes, NodeFilter filter)
            throws IOException {
        NodeFilter live = FilterPlan.both(liveFilter(), filter);
        int seeds = seeds(ctx, ctx.query, n);
        GraphSearcher searcher = ctx.searcher;
        if (!useCodes || codeBytes == 0 || codedUpTo < n) {
            int found = searcher.search(ctx.scorer, ctx.entries, seeds, beamWidth, n, live);
            ctx.nodes = searcher.resultNodes();
            ctx.distances = searcher.resultDistances();
            ctx.reranked = 0;
            return found;
        }
        StoredGraph.CodeScorer codes = ctx.codeScorer(graph, quantizer(), codeSource(n));
        codes.setQuery(ctx.query);
        int found = searcher.search(codes, ctx.entries, seeds, beamWidth, n, live);
        DirectVectors direct = directVectors;
        if (direct != null) {
            try {
                return ctx.rerankDirect(found, direct, kernels, metric);
            } catch (java.nio.channels.ClosedChannelException | java.util.concurrent.RejectedExecutionException e) {
                if (!closed) {
                    throw e;
                }
                IndexClosedException c = new IndexClosedException("index " + dir + " was closed during the search");
                c.initCause(e);
                throw c;
            }
        }
        switch (RERANK_PREFETCH) {
            case WILLNEED -> {
                int[] candidates = searcher.resultNodes();
                for (int i = 0; i < found; i++) {
                    graph.willNeed(candidates[i]);
                }
            }
            case THREADS -> {
                RerankPrefetch.Batch batch = prefetchPool().touch(searcher.resultNodes(), found);
                try {
                    return ctx.rerank(found);
                } finally {
                    batch.done(); // its threads skip what they have not reached: the re-rank has read it
                }
            }
            case NONE -> { }
        }
        return ctx.rerank(found);
    }

    /**
     * Whether the graph walk (searches, and the writer's linking) reads a copy of the codes in anonymous memory with
     * huge pages ({@link CodesInMemory}) rather than the codes file's mapping; {@code -Dmmgraph.codesInMemory=false}
     * turns it off (docs/benchmarks.md, "Huge pages"). The copy costs the codes' size in memory outside the heap.
     */
    static final boolean CODES_IN_MEMORY = !"false".equals(System.getProperty("mmgraph.codesInMemory"))
            && io.mmgraph.store.AnonymousMemory.mappingAvailable();

    /** Where a search over {@code n} coded nodes reads their codes: the copy in memory, or the file. */
    private CodeSource codeSource(int n) {
        if (!CODES_IN_MEMORY) {
            return files.codes();
        }
        if (lock != null) { // the writer's copy has every code it wrote, once it has written any
            CodesInMemory copy = codesInMemory;
            return copy != null && copy.loaded() >= n ? copy : files.codes();
        }
        CodesInMemory copy = codesInMemory;
        if (copy == null) {
            synchronized (quantizerLock) {
                copy = codesInMemory;
                if (copy == null) {
                    ensureOpen(); // close() releases the copy after it sets closed: none is made after that
                    copy = new CodesInMemory(files.codes(), true);
                    codesInMemory = copy;
                }
            }
        }
        if (copy.loaded() < n) {
            copy.load(n);
        }
        return copy;
    }

    /** How a search by codes brings the beam's vectors in before re-ranking ({@code -Dmmgraph.rerankPrefetch}). */
    static final RerankPrefetch RERANK_PREFETCH = RerankPrefetch.fromProperty();

    private RerankPrefetch.Pool prefetchPool() {
        RerankPrefetch.Pool pool = prefetchPool;
        if (pool == null) {
            synchronized (quantizerLock) {
                pool = prefetchPool;
                if (pool == null) {
                    ensureOpen(); // close() shuts the pool down after it sets closed: none is made after that
                    pool = new RerankPrefetch.Pool(graph);
                    prefetchPool = pool;
                }
            }
        }
        return pool;
    }

    /** Whether searches enter through an {@link EntrySample}; {@code -Dmmgraph.entrySample=false} turns it off. */
    static final boolean ENTRY_SAMPLE = !"false".equals(System.getProperty("mmgraph.entrySample"));

    /**
     * Fills {@code ctx.entries} with where a search over {@code n} nodes starts: the sampled nodes nearest the
     * (prepared) query, then the central entry point. Returns how many entries.
     */
    private int seeds(QueryContext ctx, float[] q, int n) {
        ctx.sampleDistances = 0;
        EntrySample sample = ENTRY_SAMPLE && n >= EntrySample.MIN_NODES ? entrySample(n) : null;
        int count = 0;
        if (sample != null) {
            int found = sample.nearest(kernels, metric, q, ctx.sampleNearest, ctx.sampleScratch);
            for (int i = 0; i < found; i++) {
                // A sample another search built after a refresh may hold nodes past this search's n: not ours to
                // enter by (the codes copy may not hold them yet).
                if (ctx.sampleNearest[i] < n) {
                    ctx.entries[count++] = ctx.sampleNearest[i];
                }
            }
            ctx.sampleDistances = sample.size();
        }
        ctx.entries[count++] = entry(n);
        return count;
    }

    /** The entry sample for {@code n} visible nodes: built on first use and again whenever the index has doubled. */
    private EntrySample entrySample(int n) {
        EntrySample s = entrySample;
        if (s != null && n < 2L * s.nodes) {
            return s;
        }
        synchronized (entrySampleLock) {
            s = entrySample;
            if (s == null || n >= 2L * s.nodes) {
                s = EntrySample.of(files.vectors(), n);
                entrySample = s;
            }
            return s;
        }
    }

    private int entry(int n) {
        int entry = entryPoint;
        return entry < 0 || entry >= n ? 0 : entry;
    }

    /**
     * Graph search into the caller's arrays, allocating nothing: the hot path for servers and benchmarks. Writes the
     * ordinals of the {@code min(k, found)} nearest vectors, nearest first, into {@code ordinals} and, when
     * {@code distances} is not null, their distances into {@code distances}; returns how many it wrote. The beam
     * width is {@code max(ef, k)}. Validates the query as {@link #search(float[], SearchOptions)} does.
     *
     * @throws IllegalArgumentException when {@code k} or {@code ef} is not positive or an array is shorter than k
     */
    public int search(float[] query, int k, int ef, int[] ordinals, float[] distances) throws IOException {
        if (k < 1 || ef < 1) {
            throw new IllegalArgumentException("k and ef must be positive: k=" + k + ", ef=" + ef);
        }
        if (ordinals.length < k || (distances != null && distances.length < k)) {
            throw new IllegalArgumentException("result arrays are shorter than k=" + k);
        }
        ensureOpen();
        QueryContext ctx = searchers.get();
        prepareInto(query, "query", ctx.query);
        int n = published;
        if (n == 0) {
            return 0;
        }
        try {
            int found = Math.min(k, beamSearch(ctx, Math.max(ef, k), n, true, null));
            System.arraycopy(ctx.nodes, 0, ordinals, 0, found);
            if (distances != null) {
                System.arraycopy(ctx.distances, 0, distances, 0, found);
            }
            deliverPendingFault(ctx);
            return found;
        } catch (InternalError e) {
            throw fault(e);
        } catch (IllegalStateException e) {
            throw closedOr(e);
        }
    }

    /** The mapped files (package-private: for tests of the layers below the facade). */
    IndexFiles files() {
        return files;
    }

    /** The graph over this handle's files (tests). */
    StoredGraph graph() {
        return graph;
    }

    /** Distances the calling thread's last {@link #search(float[], int, int, int[], float[])} computed: its cost. */
    public int lastDistanceComputations() {
        return searchers.get().distanceComputations();
    }

    /**
     * One thread's reusable search state: the prepared query, the scorers bound to it (full vectors, and codes once
     * the index has them), the beam searcher and the last search's results.
     */
    private static final class QueryContext {
        final float[] query;
        final io.mmgraph.graph.NodeScorer scorer;
        final GraphSearcher searcher;
        final int[] entries = new int[EntrySample.SEEDS + 1];
        final int[] sampleNearest = new int[EntrySample.SEEDS];
        final float[] sampleScratch = new float[EntrySample.SEEDS];
        /** Heap distances the last search computed to choose its entries. */
        int sampleDistances;
        /** Full-vector distances the last search computed to re-rank its beam (0 when it walked by vectors). */
        int reranked;
        StoredGraph.CodeScorer codeScorer;
        /** The last search's results, nearest first: the searcher's arrays, or the re-ranked ones below. */
        int[] nodes;
        float[] distances;
        private long[] packed = new long[0];
        private int[] rerankNodes = new int[0];
        private float[] rerankDistances = new float[0];

        QueryContext(StoredGraph graph, int dimension) {
            this.query = new float[dimension];
            this.scorer = graph.query(query);
            this.searcher = new GraphSearcher(graph);
        }

        StoredGraph.CodeScorer codeScorer(StoredGraph graph, ProductQuantizer pq, CodeSource codes) {
            StoredGraph.CodeScorer c = codeScorer;
            if (c == null || !c.uses(pq, codes)) {
                c = graph.codes(pq, codes);
                codeScorer = c;
            }
            return c;
        }

        /**
         * Re-scores the searcher's {@code found} nodes by their full vectors and sorts them: the vectors are touched
         * first so that their cache misses (or page faults' read-ahead) overlap, then measured.
         */
        int rerank(int found) {
            ensureRerankCapacity(found);
            int[] candidates = searcher.resultNodes();
            for (int i = 0; i < found; i++) {
                scorer.prefetch(candidates[i]);
            }
            for (int i = 0; i < found; i++) {
                packed[i] = pack(scorer.distance(candidates[i]), candidates[i]);
            }
            return publishReranked(found);
        }

        private void ensureRerankCapacity(int found) {
            if (packed.length < found) {
                packed = new long[found];
                rerankNodes = new int[found];
                rerankDistances = new float[found];
            }
        }

        /** Sorts the first {@code found} packed (distance, node) pairs and makes them the search's results. */
        private int publishReranked(int found) {
            java.util.Arrays.sort(packed, 0, found);
            for (int i = 0; i < found; i++) {
                rerankNodes[i] = (int) packed[i];
                rerankDistances[i] = unpackDistance(packed[i]);
            }
            nodes = rerankNodes;
            distances = rerankDistances;
            reranked = found;
            return found;
        }

        /** As {@link #rerank}, with the vectors read by direct I/O, in parallel. */
        int rerankDirect(int found, DirectVectors direct, io.mmgraph.vector.VectorKernels kernels, Metric metric)
                throws IOException {
            ensureRerankCapacity(found);
            if (fetched == null || fetched.length < found) {
                fetched = new byte[Math.max(found, 16)][direct.recordBytes()];
            }
            int[] candidates = searcher.resultNodes();
            direct.read(candidates, found, fetched);
            for (int i = 0; i < found; i++) {
                // The record's bytes through the kernel a mapped record goes through.
                packed[i] = pack(kernels.distance(metric, query, MemorySegment.ofArray(fetched[i]), 0),
                        candidates[i]);
            }
            return publishReranked(found);
        }

        /** Records the last direct re-rank read (reused). */
        private byte[][] fetched;

        int distanceComputations() {
            return searcher.distanceComputations() + sampleDistances + reranked;
        }

        /** Orders by distance (any sign), then by node: the float's bits made to sort as signed ints. */
        private static long pack(float distance, int node) {
            int bits = Float.floatToRawIntBits(distance);
            bits ^= (bits >> 31) & 0x7fffffff;
            return ((long) bits << 32) | (node & 0xffffffffL);
        }

        private static float unpackDistance(long packed) {
            int bits = (int) (packed >> 32);
            bits ^= (bits >> 31) & 0x7fffffff;
            return Float.intBitsToFloat(bits);
        }
    }

    /** Brute force over the nodes below {@code n} that {@code accept} (null: all) accepts. */
    private SearchResult exactSearch(float[] q, int k, int n, NodeFilter accept) {
        TopK top = new TopK(Math.min(k, n));
        VectorRecords vectors = files.vectors();
        int scored = 0;
        java.util.BitSet set = accept == null ? null : accept.accepted(n);
        for (int ord = set == null ? 0 : set.nextSetBit(0); ord >= 0 && ord < n;
             ord = set == null ? ord + 1 : set.nextSetBit(ord + 1)) {
            if (set == null && accept != null && !accept.accepts(ord)) {
                continue;
            }
            scored++;
            MemorySegment seg = vectors.segmentOf(ord);
            float d = kernels.distance(metric, q, seg, vectors.offsetOf(ord));
            if (d <= top.bound()) {
                top.offer(ord, d);
            }
        }
        return new SearchResult(top.toSortedList(), scored);
    }

    /**
     * Figures of the graph: scans every published node's list (O(N) reads of the lists file, no vector reads).
     */
    public GraphStats graphStats() throws IOException {
        ensureOpen();
        int n = published;
        int[] ids = new int[maxDegree];
        long edges = 0;
        int max = 0;
        int isolated = 0;
        try {
            for (int ord = 0; ord < n; ord++) {
                int d = graph.neighbors(ord, ids, n);
                edges += d;
                max = Math.max(max, d);
                if (d == 0) {
                    isolated++;
                }
            }
        } catch (InternalError e) {
            throw fault(e);
        } catch (IllegalStateException e) {
            throw closedOr(e);
        }
        return new GraphStats(n, n == 0 ? -1 : entryPoint, edges, n == 0 ? 0 : (double) edges / n, max, isolated);
    }

    /**
     * The live published nodes a search cannot reach: not reachable from the entry point by the graph's edges (a
     * breadth-first walk over every list, through deleted nodes too; an int per node of heap while it runs).
     * Incremental insertion can leave nodes whose every in-edge was pruned away; {@link #linkUnreachable} links them
     * again. Deleted nodes are never reported (consolidation cuts every edge to them on purpose).
     */
    public int[] unreachable() throws IOException {
        ensureOpen();
        int entry = entryPoint; // before the count: a recentred entry is always below the count read after it
        int n = published;
        if (n == 0) {
            return new int[0];
        }
        java.util.function.IntPredicate live = liveOrdinals();
        java.util.BitSet seen = new java.util.BitSet(n);
        int[] queue = new int[n];
        int[] ids = new int[maxDegree];
        int head = 0;
        int tail = 0;
        entry = entry >= 0 && entry < n ? entry : 0;
        queue[tail++] = entry;
        seen.set(entry);
        try {
            while (head < tail) {
                int d = graph.neighbors(queue[head++], ids, n);
                for (int i = 0; i < d; i++) {
                    if (!seen.get(ids[i])) {
                        seen.set(ids[i]);
                        queue[tail++] = ids[i];
                    }
                }
            }
        } catch (InternalError e) {
            throw fault(e);
        } catch (IllegalStateException e) {
            throw closedOr(e);
        }
        java.util.stream.IntStream.Builder out = java.util.stream.IntStream.builder();
        for (int ord = seen.nextClearBit(0); ord < n; ord = seen.nextClearBit(ord + 1)) {
            if (live.test(ord)) {
                out.add(ord);
            }
        }
        return out.build().toArray();
    }

    /**
     * Links every node {@link #unreachable()} finds again, as an insert would (a search from the entry point for its
     * neighbours, its list pruned from them, back-edges to it added to theirs), on {@code threads} threads, holding
     * inserts off, and makes the lists durable; returns how many it linked.
     */
    public int linkUnreachable(int threads) throws IOException {
        ensureWritable();
        insertGate.writeLock().lock();
        try {
            ensureOpen();
            int[] nodes = unreachable();
            int n = published;
            int entry = entryPoint;
            AtomicInteger cursor = new AtomicInteger();
            runOn(Math.max(1, Math.min(threads, nodes.length)), () -> {
                for (int i = cursor.getAndIncrement(); i < nodes.length; i = cursor.getAndIncrement()) {
                    builder.link(workers.get(), nodes[i], entry, n);
                }
            });
            synchronized (writeLock) {
                files.lists().file().forceAll(); // a commit that changes no count would skip them
                commit(Manifest.State.OPEN);
            }
            return nodes.length;
        } catch (InternalError e) {
            throw fault(e);
        } finally {
            insertGate.writeLock().unlock();
        }
    }

    /**
     * Full verification of the last commit this process knows: reads every committed byte of every file (see
     * {@link IndexVerifier}). Opening reads only headers; this is the check that reads the rest.
     */
    public VerifyReport verify() throws IOException {
        ensureOpen();
        Manifest m = manifest;
        // A reader's lists may name nodes past its commit, which it never follows, whenever a writer has touched
        // the index since that commit (it rewrites committed lists in place) or died: only a commit that is still
        // the newest and was closed cleanly bounds every id.
        boolean quiet = lock == null && m.state() == Manifest.State.CLEAN
                && ManifestFile.read(FormatConstants.manifestPath(dir)).newest().sequence() == m.sequence();
        long readerLimit = quiet ? m.committedCount() : MAX_VECTORS;
        // The writer's limit grows while the check runs: inserts allocate nodes and link them into committed lists.
        java.util.function.LongSupplier idLimit = lock != null ? () -> allocated : () -> readerLimit;
        try {
            IdStore store = ids;
            VerifyReport report = IndexVerifier.verify(dir, m, files, store == null ? null : store.openTable(), idLimit,
                    !quiet);
            FieldIndexes columns = fields;
            if (columns != null && store != null) {
                List<String> problems = new java.util.ArrayList<>();
                report = report.plus(columns.verify((int) m.committedCount(), this::newestCommitted, store::payload,
                        problems), problems);
            }
            deliverPendingFault(report);
            return report;
        } catch (InternalError e) {
            throw fault(e);
        } catch (IllegalStateException e) {
            throw closedOr(e);
        }
    }

    /** Applies an access hint to every mapping of the index (and those mapped later); false where unsupported. */
    public boolean advise(AccessHint hint) throws IOException {
        ensureOpen();
        return files.advise(hint);
    }

    /** The files a search reads, in the order {@link #warm} loads them: every hop reads a list, then vectors. */
    private List<FileKind> searchedFiles() {
        return codeBytes > 0 && codedUpTo > 0
                ? List.of(FileKind.NEIGHBOR_LISTS, FileKind.CODES, FileKind.VECTORS)
                : List.of(FileKind.NEIGHBOR_LISTS, FileKind.VECTORS);
    }

    /**
     * How much of each file's published records is in memory now ({@code mincore}; whichever process read it): the
     * figure behind cold/warm measurements and behind the tests that each {@link AccessHint} does what it claims.
     * {@link Residency#known()} is false where the platform cannot say.
     */
    public Map<FileKind, Residency> residency() throws IOException {
        ensureOpen();
        int n = published;
        Map<FileKind, Residency> out = new java.util.EnumMap<>(FileKind.class);
        try {
            for (FileKind kind : files.kinds()) {
                long records = switch (kind) {
                    case DELETES -> deletesKnown;
                    case CODES -> Math.min(codedUpTo, n);
                    default -> n;
                };
                out.put(kind, files.file(kind).residency(records));
            }
        } catch (IllegalStateException e) {
            throw closedOr(e);
        }
        return out;
    }

    /** Bytes {@link #warm} loads: the published records of the neighbour lists and the vectors. */
    public long warmBytes() {
        long total = 0;
        for (FileKind kind : searchedFiles()) {
            total += files.file(kind).recordBytes(published);
        }
        return total;
    }

    /**
     * Loads what searches read — the published neighbour lists, the codes (of an index with codes), then the vectors —
     * into the page cache, so that the first queries run at warm speed: per extent an {@code madvise(WILLNEED)}, then
     * one read per page (which waits for the I/O and works where the hint does not). Checksums are left cold: only {@code verify} reads them.
     * Reports each extent's bytes to {@code progress} (out of {@link #warmBytes()}). The page cache may evict the
     * pages again under memory pressure; a file larger than memory cannot be kept warm.
     */
    public void warm(java.util.function.LongConsumer progress) throws IOException {
        ensureOpen();
        int n = published;
        try {
            long sink = 0;
            for (FileKind kind : searchedFiles()) {
                sink += files.file(kind).load(n, progress);
            }
            if (sink == Long.MIN_VALUE) { // never true; keeps the loads
                progress.accept(0);
            }
        } catch (InternalError e) {
            throw fault(e);
        } catch (IllegalStateException e) {
            throw closedOr(e);
        }
    }

    // ---------------------------------------------------------------------------------------------- figures

    /** Published vectors: those searchable in this process. */
    public int size() {
        return published;
    }

    /** Vectors in the last commit this process wrote or read. */
    public long committedCount() {
        return manifest.committedCount();
    }

    public int dimension() {
        return dimension;
    }

    public Metric metric() {
        return metric;
    }

    public int maxDegree() {
        return maxDegree;
    }

    public Path directory() {
        return dir;
    }

    public boolean isReadOnly() {
        return lock == null;
    }

    /** Whether opening this writer repaired the lists of an index whose last writer did not close cleanly. */
    public boolean recoveredFromUncleanShutdown() {
        return recovered;
    }

    public IndexStats stats() throws IOException {
        ensureOpen();
        Manifest m = manifest;
        Map<String, Long> bytes = new LinkedHashMap<>();
        bytes.put(FormatConstants.MANIFEST_FILE, Files.size(FormatConstants.manifestPath(dir)));
        for (FileKind kind : files.kinds()) {
            bytes.put(kind.fileName(), files.file(kind).fileSize());
        }
        Path codebook = io.mmgraph.format.FormatConstants.codebookPath(dir);
        if (codeBytes > 0 && Files.exists(codebook)) {
            bytes.put(FormatConstants.CODEBOOK_FILE, Files.size(codebook));
        }
        return new IndexStats(published, m.committedCount(), dimension, metric.toString(), maxDegree, m.sequence(),
                mode.name().toLowerCase(java.util.Locale.ROOT), bytes, files.mappedExtents(), kernels.name(),
                m.state() == Manifest.State.CLEAN, deletesKnown, m.deleteCount());
    }

    /**
     * Asks the OS to drop the cached pages of every file of the index in {@code dir} (Linux
     * {@code posix_fadvise(DONTNEED)}; no root needed), so the next access reads from disk: for cold-start
     * measurements. Dirty pages stay; commit first. Returns false where the platform cannot.
     */
    public static boolean evictFromPageCache(Path dir) throws IOException {
        requireIndex(dir);
        boolean all = io.mmgraph.store.NativeIO.evictFromPageCache(FormatConstants.manifestPath(dir).toString()) == 0;
        Manifest m = ManifestFile.read(FormatConstants.manifestPath(dir)).newest();
        for (FileKind kind : FileKind.values()) {
            Path file = m.path(dir, kind);
            if (kind.required() || Files.exists(file)) {
                all &= io.mmgraph.store.NativeIO.evictFromPageCache(file.toString()) == 0;
            }
        }
        return all;
    }

    // ---------------------------------------------------------------------------------------------- close

    /**
     * Commits (writer), unmaps every file and releases the lock. Idempotent. If the commit fails the files are
     * still unmapped and the lock released, and the error is thrown; the index keeps its previous commit.
     */
    @Override
    public void close() throws IOException {
        IOException failure = null;
        AutoCommit a;
        synchronized (autoCommitLock) {
            closing = true;
            a = autoCommit;
            autoCommit = null;
        }
        if (a != null) {
            a.close(); // before the gate: its commit may be under way, and close commits after it anyway
        }
        // Let running inserts finish (they hold the read side) and keep new ones out.
        insertGate.writeLock().lock();
        try {
            failure = closeUnderGate();
        } finally {
            insertGate.writeLock().unlock();
        }
        if (failure != null) {
            throw failure;
        }
    }

    private IOException closeUnderGate() {
        IOException failure = null;
        synchronized (writeLock) {
            if (closed) {
                return null;
            }
            if (lock != null && compactedTo == null) {
                try {
                    commit(Manifest.State.CLEAN);
                } catch (IOException e) {
                    failure = e;
                } catch (InternalError e) {
                    failure = fault(e);
                } catch (RuntimeException e) {
                    // A bug, but the steps below must still run: a writer that keeps its lock locks the index out.
                    failure = new IOException("closing " + dir + ": the last commit failed: " + e, e);
                }
            }
            closed = true;
        }
        CodesInMemory copy;
        RerankPrefetch.Pool pool;
        synchronized (quantizerLock) {
            copy = codesInMemory;
            pool = prefetchPool;
        }
        // Every step runs whatever the ones before it threw: a failure must not leave descriptors or memory behind.
        IdStore idStore = ids;
        if (idStore != null) {
            failure = release(failure, idStore::close);
        }
        FieldIndexes columns = fields;
        if (columns != null) {
            failure = release(failure, columns::close);
        }
        failure = release(failure, files::close);
        if (pool != null) {
            failure = release(failure, pool::close);
        }
        if (copy != null) {
            failure = release(failure, copy::close);
        }
        DirectVectors direct = directVectors;
        if (direct != null) {
            failure = release(failure, direct::close);
        }
        if (manifestChannel != null) {
            failure = release(failure, manifestChannel::close);
        }
        Manifest compacted = compactedTo;
        if (compacted != null) {
            failure = release(failure, () -> IndexCompactor.deleteOtherGenerations(dir, compacted));
        }
        if (lock != null) {
            failure = release(failure, lock::close);
        }
        return failure;
    }

    /** Runs one release step of {@link #close}; returns {@code failure} with what the step threw added. */
    private static IOException release(IOException failure, AutoCloseable step) {
        try {
            step.close();
            return failure;
        } catch (IOException e) {
            return addTo(failure, e);
        } catch (Exception e) {
            return addTo(failure, new IOException("closing: " + e, e));
        }
    }

    private static IOException addTo(IOException first, IOException next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }

    // ---------------------------------------------------------------------------------------------- helpers

    private void ensureOpen() {
        if (closed) {
            throw new IndexClosedException("index " + dir + " is closed");
        }
    }

    private void ensureWritable() {
        ensureOpen();
        if (lock == null) {
            throw new ReadOnlyIndexException("index " + dir + " was opened read-only");
        }
    }

    /** Validates a vector and returns the copy to store or search with (normalized for cosine). */
    private float[] prepare(float[] vector, String what) {
        float[] copy = new float[dimension];
        prepareInto(vector, what, copy);
        return copy;
    }

    /** Validates {@code vector} and copies it into {@code copy}, normalized where the metric needs it. */
    private void prepareInto(float[] vector, String what, float[] copy) {
        if (vector == null) {
            throw new InvalidVectorException(what + ": vector is null");
        }
        if (vector.length != dimension) {
            throw new DimensionMismatchException(what, dimension, vector.length);
        }
        for (int i = 0; i < vector.length; i++) {
            if (!Float.isFinite(vector[i])) {
                throw new InvalidVectorException(what + ": component " + i + " is " + vector[i]
                        + "; vectors must be finite");
            }
        }
        System.arraycopy(vector, 0, copy, 0, dimension);
        if (metric.normalizes() && Kernels.normalize(copy) == 0f) {
            throw new InvalidVectorException(what + ": a zero vector has no direction under the cosine metric");
        }
    }

    /** A search racing close meets the closed arena's IllegalStateException: report it as a closed index. */
    private RuntimeException closedOr(IllegalStateException e) {
        if (e instanceof IndexClosedException || !closed) {
            return e;
        }
        IndexClosedException c = new IndexClosedException("index " + dir + " was closed during the operation");
        c.initCause(e);
        return c;
    }

    /**
     * In compiled code HotSpot raises the InternalError of a faulting memory access asynchronously, at the thread's
     * next safepoint poll, which for a single bulk copy can lie past the end of the try block meant to translate it
     * (seen for {@link #vector} once compiled: the error surfaced in the caller). A native call processes pending
     * asynchronous exceptions on its way back, so one made inside the block delivers the error there.
     * {@code Thread.holdsLock} is a cheap native that is not intrinsified.
     */
    private static void deliverPendingFault(Object any) {
        Thread.holdsLock(any);
    }

    /**
     * The JVM turns a SIGBUS on a mapped page (the file was shrunk under the mapping, or the disk failed) into an
     * InternalError; name the file that is now too short, if one is.
     */
    private IOException fault(InternalError e) {
        for (FileKind kind : files.kinds()) {
            RecordFile rf = files.file(kind);
            try {
                long need = rf.layout().extentStart(rf.mappedExtents());
                long have = rf.fileSize();
                if (have < need) {
                    TruncatedIndexException t = new TruncatedIndexException(rf.path(), need, have);
                    t.initCause(e);
                    return t;
                }
            } catch (IOException ignored) {
                // fall through to the generic error
            }
        }
        return new CorruptIndexException(dir, "a mapped page could not be read (" + e.getMessage() + ")", e);
    }
}
