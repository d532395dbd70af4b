package io.mmgraph.langchain4j;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.internal.ValidationUtils;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.EmbeddingSearchResult;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.RelevanceScore;
import dev.langchain4j.store.embedding.filter.Filter;
import io.mmgraph.format.FormatConstants;
import io.mmgraph.graph.NodeFilter;
import io.mmgraph.index.Durability;
import io.mmgraph.index.IndexOptions;
import io.mmgraph.index.MMapGraph;
import io.mmgraph.index.Neighbor;
import io.mmgraph.index.SearchOptions;
import io.mmgraph.vector.Metric;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * LangChain4j's {@link EmbeddingStore} of {@link TextSegment}s over an mmgraph index in a directory: embeddings are
 * stored under their ids (upsert semantics: an id added again replaces its vector), each segment's text and metadata
 * in the vector's payload, with the metadata's Java types kept so that they read back as they were put. Searches rank
 * by cosine similarity (the index's metric) and score by LangChain4j's relevance score, {@code (cos + 1) / 2}; a
 * metadata filter is LangChain4j's own {@link Filter#test} on each candidate's metadata (so every filter LangChain4j
 * has, {@code ContainsString} included, means what it means there), applied during the graph walk, or by an exact
 * scan of the matching vectors when few match. The index is created at the first add, with the
 * embeddings' dimension; the writer commits on its own every 200 ms and at {@link #close()}.
 */
public final class MmgraphEmbeddingStore implements EmbeddingStore<TextSegment>, AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Search beam width at least this: LangChain4j callers rarely tune it. */
    private static final int MIN_EF = 100;

    private final Path dir;
    private final int maxDegree;
    private volatile MMapGraph index;

    private MmgraphEmbeddingStore(Path dir, int maxDegree) throws IOException {
        this.dir = dir;
        this.maxDegree = maxDegree;
        if (Files.exists(FormatConstants.manifestPath(dir))) {
            index = open(MMapGraph.open(dir));
        }
    }

    /** A store in {@code dir}: the index there, or one created at the first add. */
    public static MmgraphEmbeddingStore open(Path dir) throws IOException {
        return new MmgraphEmbeddingStore(dir, IndexOptions.DEFAULT_MAX_DEGREE);
    }

    private static MMapGraph open(MMapGraph g) throws IOException {
        g.setDurability(Durability.everyMillis(200));
        return g;
    }

    /** The index, created with {@code dimension} on first use. */
    private MMapGraph index(int dimension) {
        MMapGraph g = index;
        if (g != null) {
            return g;
        }
        synchronized (this) {
            if (index == null) {
                try {
                    index = open(MMapGraph.create(dir, IndexOptions.dimension(dimension).withMetric(Metric.COSINE)
                            .withMaxDegree(maxDegree)));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return index;
        }
    }

    // ------------------------------------------------------------------------------------------- adding

    @Override
    public String add(Embedding embedding) {
        String id = UUID.randomUUID().toString();
        add(id, embedding);
        return id;
    }

    @Override
    public void add(String id, Embedding embedding) {
        addAll(List.of(id), List.of(embedding), null);
    }

    @Override
    public String add(Embedding embedding, TextSegment segment) {
        String id = UUID.randomUUID().toString();
        addAll(List.of(id), List.of(embedding), java.util.Collections.singletonList(segment));
        return id;
    }

    @Override
    public List<String> addAll(List<Embedding> embeddings) {
        List<String> ids = generateIds(embeddings.size());
        addAll(ids, embeddings, null);
        return ids;
    }

    @Override
    public void addAll(List<String> ids, List<Embedding> embeddings, List<TextSegment> segments) {
        if (ids.size() != embeddings.size() || (segments != null && segments.size() != embeddings.size())) {
            throw new IllegalArgumentException("ids, embeddings and segments differ in size");
        }
        if (embeddings.isEmpty()) {
            return;
        }
        List<float[]> vectors = new ArrayList<>(embeddings.size());
        List<String> payloads = new ArrayList<>(embeddings.size());
        for (int i = 0; i < embeddings.size(); i++) {
            vectors.add(embeddings.get(i).vector());
            payloads.add(segments == null || segments.get(i) == null ? null : payload(segments.get(i)));
        }
        try {
            index(vectors.getFirst().length).upsertAll(ids, vectors, payloads,
                    Math.min(embeddings.size(), Runtime.getRuntime().availableProcessors()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------------------------------- removing

    @Override
    public void remove(String id) {
        ValidationUtils.ensureNotBlank(id, "id");
        removeAll(List.of(id));
    }

    @Override
    public void removeAll(Collection<String> ids) {
        ValidationUtils.ensureNotEmpty(ids, "ids");
        MMapGraph g = index;
        if (g == null) {
            return;
        }
        try {
            for (String id : ids) {
                g.delete(id);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void removeAll(Filter filter) {
        ValidationUtils.ensureNotNull(filter, "filter");
        removeWhere(filter);
    }

    @Override
    public void removeAll() {
        removeWhere(null);
    }

    private void removeWhere(Filter filter) {
        MMapGraph g = index;
        if (g == null) {
            return;
        }
        try {
            int n = g.size();
            for (int ord = 0; ord < n; ord++) {
                if (!g.isDeleted(ord) && (filter == null || filter.test(metadata(g.payload(ord))))) {
                    g.delete(ord);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------------------------------- searching

    @Override
    public EmbeddingSearchResult<TextSegment> search(EmbeddingSearchRequest request) {
        MMapGraph g = index;
        if (g == null) {
            return new EmbeddingSearchResult<>(List.of());
        }
        float[] q = request.queryEmbedding().vector();
        int k = request.maxResults();
        SearchOptions options = SearchOptions.k(k).withEf(Math.max(MIN_EF, k));
        Filter filter = request.filter();
        if (filter != null) {
            options = options.withFilter(metadataFilter(g, filter));
        }
        try {
            List<EmbeddingMatch<TextSegment>> matches = new ArrayList<>();
            for (Neighbor n : g.search(q, options).neighbors()) {
                double score = RelevanceScore.fromCosineSimilarity(Math.min(1.0, 1.0 - n.distance()));
                if (score < request.minScore()) {
                    continue;
                }
                String payload = g.payload(n.ordinal());
                matches.add(new EmbeddingMatch<>(score, g.id(n.ordinal()), Embedding.from(g.vector(n.ordinal())),
                        payload == null ? null : segment(payload)));
            }
            return new EmbeddingSearchResult<>(matches);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** LangChain4j's filter on the metadata stored with each candidate (none: empty metadata). */
    private static NodeFilter metadataFilter(MMapGraph g, Filter filter) {
        return new NodeFilter() {
            @Override
            public boolean accepts(int ordinal) {
                try {
                    return filter.test(metadata(g.payload(ordinal)));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public boolean costly() {
                return true; // a payload read and parsed per test
            }
        };
    }

    // ------------------------------------------------------------------------------------------- payloads

    /**
     * {@code {"text": …, "metadata": {key: value, …}, "types": {key: "String"|"UUID"|"Integer"|"Long"|"Float"|"Double"}}}:
     * the metadata as JSON, which filters over HTTP and the CLI read too, and each value's Java type, which JSON
     * numbers lose.
     */
    static String payload(TextSegment segment) {
        ObjectNode p = JSON.createObjectNode();
        p.put("text", segment.text());
        ObjectNode meta = p.putObject("metadata");
        ObjectNode types = p.putObject("types");
        for (Map.Entry<String, Object> e : segment.metadata().toMap().entrySet()) {
            Object v = e.getValue();
            String key = e.getKey();
            switch (v) {
                case String s -> meta.put(key, s);
                case UUID u -> meta.put(key, u.toString());
                case Integer i -> meta.put(key, i);
                case Long l -> meta.put(key, l);
                case Float f -> meta.put(key, f);
                case Double d -> meta.put(key, d);
                default -> throw new IllegalArgumentException("metadata " + key + " of type " + v.getClass().getName()
                        + " is none of LangChain4j's");
            }
            types.put(key, v.getClass().getSimpleName());
        }
        try {
            return JSON.writeValueAsString(p);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The metadata stored in a payload; empty for none. */
    static Metadata metadata(String payload) {
        return payload == null ? new Metadata() : segment(payload).metadata();
    }

    static TextSegment segment(String payload) {
        JsonNode p;
        try {
            p = JSON.readTree(payload);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("stored payload is not this store's: " + e.getOriginalMessage(), e);
        }
        Map<String, Object> values = new HashMap<>();
        JsonNode types = p.path("types");
        p.path("metadata").properties().forEach(e -> {
            JsonNode v = e.getValue();
            Object value = switch (types.path(e.getKey()).asText("String")) {
                case "UUID" -> UUID.fromString(v.asText());
                case "Integer" -> v.intValue();
                case "Long" -> v.longValue();
                case "Float" -> v.floatValue();
                case "Double" -> v.doubleValue();
                default -> v.asText();
            };
            values.put(e.getKey(), value);
        });
        return TextSegment.from(p.path("text").asText(), Metadata.from(values));
    }

    /** Commits and closes the index. */
    @Override
    public void close() throws IOException {
        MMapGraph g = index;
        if (g != null) {
            g.close();
        }
    }
}
