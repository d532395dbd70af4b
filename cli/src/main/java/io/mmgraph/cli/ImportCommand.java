package io.mmgraph.cli;

import io.mmgraph.dataset.VectorFiles;
import io.mmgraph.dataset.VectorSource;
import io.mmgraph.format.FormatConstants;
import io.mmgraph.index.DimensionMismatchException;
import io.mmgraph.index.IndexOptions;
import io.mmgraph.index.MMapGraph;
import io.mmgraph.vector.Metric;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Append vectors from a file to an index, creating it if needed.",
                "Appends the vectors of FILE to the index in DIR, creating it when DIR has none. FILE is read by its",
                "extension: .fvecs or .bvecs (TEXMEX), .npy (a 2-d NumPy array of float32, float64 or uint8, as",
                "numpy.save writes it), .csv or .tsv (one vector per line; a header line is skipped), .hdf5 or .h5",
                "(the --dataset array, 'train' by default, as ann-benchmarks files hold it).",
                "Commits every N vectors (--sync-every) and at the end; a progress bar shows long imports on stderr."})
final class ImportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "Index directory.")
    Path dir;

    @Parameters(index = "1", paramLabel = "FILE", description = {"Vectors to import (.fvecs, .bvecs, .npy, .csv, .tsv, .hdf5), or documents as JSON Lines",
                    "(.jsonl: {\"id\": \"a\" or 42, \"vector\": [...], \"payload\": {...}} per line; an id that exists",
                    "already is replaced)."})
    Path file;

    @Option(names = "--dim", paramLabel = "D", description = "Expected dimension (checked against FILE and the index).")
    Integer dim;

    @Option(names = "--metric", defaultValue = "l2", paramLabel = "M",
            description = "Distance for a new index: l2, cosine or dot (default: ${DEFAULT-VALUE}).")
    String metric;

    @Option(names = "--max-degree", defaultValue = "32", paramLabel = "R",
            description = "Neighbour-list size R for a new index (default: ${DEFAULT-VALUE}).")
    int maxDegree;

    @Option(names = "--sync-every", defaultValue = "0", paramLabel = "N",
            description = "Commit after every N vectors; 0 commits only at the end (default: ${DEFAULT-VALUE}).")
    long syncEvery;

    @Option(names = "--threads", paramLabel = "T",
            description = "Threads that link vectors into the graph (default: all cores).")
    Integer threads;

    @Option(names = "--alpha", paramLabel = "A", description = "Robust-pruning alpha for a new index (default: 1.2).")
    Float alpha;

    @Option(names = "--build-ef", paramLabel = "L", description = "Build beam width L for a new index (default: 100).")
    Integer buildEf;

    @Option(names = "--code-bytes", paramLabel = "M",
            description = {"Product-quantization code bytes per vector for a new index (default: 0, no codes).",
                    "With codes, searches walk the graph by codes and re-rank by the full vectors: for indexes",
                    "larger than memory. 32 suits 128-d vectors."})
    Integer codeBytes;

    @Option(names = "--code-train-size", paramLabel = "N",
            description = "Train the quantizer when a new index first holds N vectors (default: 50000).")
    Integer codeTrainSize;

    @Option(names = "--dataset", defaultValue = "train", paramLabel = "NAME",
            description = "The dataset of an HDF5 FILE to import (default: ${DEFAULT-VALUE}, ann-benchmarks' base vectors).")
    String dataset;

    private VectorSource open(Path f) throws java.io.IOException {
        String name = f.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) {
            return new JsonLinesSource(f);
        }
        return name.endsWith(".hdf5") || name.endsWith(".h5") ? new Hdf5VectorSource(f, dataset) : VectorFiles.open(f);
    }

    /**
     * Inserts one batch: by id (upsert) where the documents have ids, else by ordinal. A JSON Lines file mixes
     * neither: without an id a document's payload would have nowhere to live.
     */
    private void insert(MMapGraph index, List<float[]> batch, List<String> ids, List<String> payloads, int workers,
                        long before) throws java.io.IOException {
        long keyed = ids.stream().filter(java.util.Objects::nonNull).count();
        boolean plain = keyed == 0 && payloads.stream().allMatch(java.util.Objects::isNull);
        if (plain && keyedFile != Boolean.TRUE) {
            keyedFile = false;
            index.addAll(batch, workers);
        } else if (keyed == batch.size() && keyedFile != Boolean.FALSE) {
            keyedFile = true;
            index.upsertAll(ids, batch, payloads, workers);
        } else {
            int at = ids.indexOf(null);
            throw new IllegalArgumentException(file + ": document " + (before + at + 1) + " has no \"id\"; every "
                    + "document needs one when any has an id or a payload");
        }
    }

    /** Whether the file's documents have ids (null until the first batch says). */
    private Boolean keyedFile;

    /** Vectors read and inserted together: big enough to keep every thread busy, small enough for the heap. */
    static final int BATCH = 4096;

    @Option(names = "--embed", description = {"FILE is a folder of text (.txt, .md) or one such file: cut each into",
            "chunks of about 1,000 characters, embed them locally with all-MiniLM-L6-v2 (384-d, cosine; offline),",
            "and store each under the id PATH#N with payload {\"path\", \"chunk\", \"text\"}. Importing again replaces them."})
    boolean embed;

    @Override
    public Integer call() throws Exception {
        if (embed) {
            return new TextImport(dir, file, syncEvery).run();
        }
        try (VectorSource reader = open(file)) {
            if (dim != null && reader.count() > 0 && reader.dimension() != dim) {
                throw new DimensionMismatchException(file.toString(), dim, reader.dimension());
            }
            boolean exists = Files.exists(FormatConstants.manifestPath(dir));
            int d = reader.count() > 0 ? reader.dimension() : dim == null ? 0 : dim;
            if (!exists && d == 0) {
                throw new IllegalArgumentException(file + " is empty: give --dim to create an empty index");
            }
            IndexOptions options = IndexOptions.dimension(Math.max(d, 1)).withMetric(Metric.parse(metric))
                    .withMaxDegree(maxDegree);
            if (alpha != null) {
                options = options.withAlpha(alpha);
            }
            if (buildEf != null) {
                options = options.withBuildBeamWidth(buildEf);
            }
            if (codeBytes != null) {
                options = options.withCodeBytes(codeBytes);
            }
            if (codeTrainSize != null) {
                options = options.withCodeTrainSize(codeTrainSize);
            }
            int workers = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
            try (MMapGraph index = exists ? MMapGraph.open(dir) : MMapGraph.create(dir, options)) {
                if (reader.count() > 0 && reader.dimension() != index.dimension()) {
                    throw new DimensionMismatchException(file.toString(), index.dimension(), reader.dimension());
                }
                long start = System.nanoTime();
                long added = 0;
                long sinceSync = 0;
                List<float[]> batch = new ArrayList<>(BATCH);
                JsonLinesSource docs = reader instanceof JsonLinesSource j ? j : null;
                List<String> ids = new ArrayList<>(BATCH);
                List<String> payloads = new ArrayList<>(BATCH);
                try (Progress progress = new Progress("import", reader.count(), "vectors")) {
                    while (reader.hasNext()) {
                        batch.clear();
                        ids.clear();
                        payloads.clear();
                        long room = syncEvery > 0 ? Math.min(BATCH, syncEvery - sinceSync) : BATCH;
                        while (reader.hasNext() && batch.size() < room) {
                            batch.add(reader.next());
                            if (docs != null) {
                                ids.add(docs.id());
                                payloads.add(docs.payload());
                            }
                        }
                        insert(index, batch, ids, payloads, workers, added);
                        added += batch.size();
                        sinceSync += batch.size();
                        progress.stepBy(batch.size());
                        if (syncEvery > 0 && sinceSync >= syncEvery) {
                            index.sync();
                            sinceSync = 0;
                        }
                    }
                }
                long syncStart = System.nanoTime();
                index.sync();
                long end = System.nanoTime();
                double secs = (end - start) / 1e9;
                System.out.printf("imported %d vectors into %s in %.2f s (%.0f vectors/s, %d threads, final commit %.2f s); "
                                + "index holds %d, committed%n", added, dir, secs, added / Math.max(secs, 1e-9),
                        workers, (end - syncStart) / 1e9, index.committedCount());
            }
        }
        return 0;
    }
}
