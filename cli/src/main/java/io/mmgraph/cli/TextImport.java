package io.mmgraph.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mmgraph.embed.TextChunks;
import io.mmgraph.embed.TextEmbedder;
import io.mmgraph.format.FormatConstants;
import io.mmgraph.index.DimensionMismatchException;
import io.mmgraph.index.IndexOptions;
import io.mmgraph.index.MMapGraph;
import io.mmgraph.vector.Metric;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** {@code mmgraph import DIR PATH --embed}: text files chunked, embedded locally, upserted with their text. */
final class TextImport {
    /** Chunks embedded and inserted together. */
    static final int BATCH = 64;

    private final Path dir;
    private final Path source;
    private final long syncEvery;

    TextImport(Path dir, Path source, long syncEvery) {
        this.dir = dir;
        this.source = source;
        this.syncEvery = syncEvery;
    }

    static boolean isText(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return Files.isRegularFile(p) && (name.endsWith(".txt") || name.endsWith(".md") || name.endsWith(".markdown"));
    }

    int run() throws IOException {
        List<Path> files;
        if (Files.isDirectory(source)) {
            try (Stream<Path> s = Files.walk(source)) {
                files = s.filter(TextImport::isText).sorted().toList();
            }
        } else if (isText(source)) {
            files = List.of(source);
        } else {
            throw new IllegalArgumentException(source + " is neither a folder nor a .txt or .md file");
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException(source + " holds no .txt or .md file");
        }
        long t0 = System.nanoTime();
        TextEmbedder embedder = new TextEmbedder();
        boolean exists = Files.exists(FormatConstants.manifestPath(dir));
        int chunksDone = 0;
        int skipped = 0;
        try (MMapGraph index = exists ? MMapGraph.open(dir)
                : MMapGraph.create(dir, IndexOptions.dimension(TextEmbedder.DIMENSION).withMetric(Metric.COSINE));
             Progress progress = new Progress("embed", files.size(), "files")) {
            if (index.dimension() != TextEmbedder.DIMENSION) {
                throw new DimensionMismatchException(dir.toString(), index.dimension(), TextEmbedder.DIMENSION);
            }
            List<String> ids = new ArrayList<>();
            List<String> texts = new ArrayList<>();
            List<String> payloads = new ArrayList<>();
            long sinceSync = 0;
            for (Path f : files) {
                String text;
                try {
                    text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(f)))
                            .toString();
                } catch (CharacterCodingException e) {
                    System.err.println("mmgraph import: skipping " + f + ": not UTF-8 text");
                    skipped++;
                    progress.step();
                    continue;
                }
                String rel = Files.isDirectory(source) ? source.relativize(f).toString().replace('\\', '/')
                        : f.getFileName().toString();
                List<String> chunks = TextChunks.split(text, TextChunks.DEFAULT_MAX_CHARS);
                for (int i = 0; i < chunks.size(); i++) {
                    ObjectNode p = Documents.JSON.createObjectNode();
                    p.put("path", rel);
                    p.put("chunk", i);
                    p.put("text", chunks.get(i));
                    ids.add(rel + "#" + i);
                    texts.add(chunks.get(i));
                    payloads.add(Documents.JSON.writeValueAsString(p));
                    if (ids.size() == BATCH) {
                        sinceSync += flush(index, embedder, ids, texts, payloads);
                    }
                }
                // A file that has fewer chunks than when it was imported before: its extra old chunks go.
                sinceSync += flush(index, embedder, ids, texts, payloads);
                for (int k = chunks.size(); index.delete(rel + "#" + k); k++) {
                    sinceSync++;
                }
                chunksDone += chunks.size();
                if (syncEvery > 0 && sinceSync >= syncEvery) {
                    index.sync();
                    sinceSync = 0;
                }
                progress.step();
            }
            flush(index, embedder, ids, texts, payloads);
            index.sync();
            System.out.printf(Locale.ROOT, "embedded and imported %,d chunks of %,d files into %s in %.1f s%s; index holds "
                    + "%,d live vectors, committed%n", chunksDone, files.size() - skipped, dir,
                    (System.nanoTime() - t0) / 1e9, skipped > 0 ? " (" + skipped + " skipped)" : "",
                    index.size() - index.deletedCount());
        }
        return 0;
    }

    private static int flush(MMapGraph index, TextEmbedder embedder, List<String> ids, List<String> texts,
                             List<String> payloads) throws IOException {
        int n = ids.size();
        if (n > 0) {
            index.upsertAll(ids, embedder.embedAll(texts), payloads, Runtime.getRuntime().availableProcessors());
            ids.clear();
            texts.clear();
            payloads.clear();
        }
        return n;
    }
}
