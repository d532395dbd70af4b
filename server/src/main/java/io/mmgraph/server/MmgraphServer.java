package io.mmgraph.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.mmgraph.filter.QdrantFilters;
import io.mmgraph.index.Document;
import io.mmgraph.index.MMapGraph;
import io.mmgraph.index.Neighbor;
import io.mmgraph.index.SearchOptions;
import io.mmgraph.vector.Metric;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * mmgraph over HTTP, modelled on Qdrant's REST API (docs/http.md): collections (create, list, info, drop), points
 * (upsert, get, delete) and search (one or a batch, with Qdrant's filters), health and Prometheus metrics. Binds to
 * loopback unless told otherwise; with an API key every request but {@code /healthz} must carry it ({@code api-key}
 * header, or {@code Authorization: Bearer}). Requests run on virtual threads; bodies above a limit are refused with
 * 413. Every error is a JSON body {@code {"status":{"error":"…"},"time":…}} with a 4xx (bad input) or 5xx status.
 * {@link #close()} stops accepting requests and commits and closes every collection.
 */
public final class MmgraphServer implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** How the server is started. */
    public record Config(Path dataDir, String bind, int port, String apiKey, long maxRequestBytes) {
        public static final long DEFAULT_MAX_REQUEST_BYTES = 32L << 20;

        public Config {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " outside 0-65535");
            }
            if (maxRequestBytes < 1024) {
                throw new IllegalArgumentException("max request bytes " + maxRequestBytes + " below 1 KiB");
            }
        }
    }

    private final Config config;
    private final Collections collections;
    private final Javalin app;
    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final LongAdder searchNanos = new LongAdder();
    private final LongAdder searches = new LongAdder();
    /** Requests running now; {@link #close()} waits for them before it closes the collections. */
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean stopping;
    /** Longest wait for running requests at shutdown. */
    private static final long SHUTDOWN_WAIT_MILLIS = 30_000;
    /** Largest beam width a request may ask for: a larger one would walk much of the graph. */
    static final int MAX_EF = 10_000;

    private MmgraphServer(Config config) throws IOException {
        this.config = config;
        this.collections = new Collections(config.dataDir());
        this.app = Javalin.create(c -> {
            c.concurrency.useVirtualThreads = true;
            c.http.maxRequestSize = config.maxRequestBytes();
            c.http.defaultContentType = "application/json";
            c.startup.showJavalinBanner = false;
            c.jetty.host = config.bind();
            c.jetty.port = config.port();
            c.routes.get("/healthz", ctx -> ctx.contentType("text/plain").result("ok\n"));
            c.routes.get("/metrics", guarded("metrics", this::metrics));
            c.routes.get("/collections", guarded("list_collections", this::listCollections));
            c.routes.put("/collections/{name}", guarded("create_collection", this::createCollection));
            c.routes.get("/collections/{name}", guarded("collection_info", this::collectionInfo));
            c.routes.delete("/collections/{name}", guarded("delete_collection", this::dropCollection));
            c.routes.put("/collections/{name}/index", guarded("create_field_index", this::createFieldIndex));
            c.routes.delete("/collections/{name}/index/{field}", guarded("delete_field_index", this::dropFieldIndex));
            c.routes.put("/collections/{name}/points", guarded("upsert_points", this::upsertPoints));
            c.routes.post("/collections/{name}/points", guarded("get_points", this::getPoints));
            c.routes.get("/collections/{name}/points/{id}", guarded("get_point", this::getPoint));
            c.routes.post("/collections/{name}/points/delete", guarded("delete_points", this::deletePoints));
            c.routes.post("/collections/{name}/points/search", guarded("search_points", this::search));
            c.routes.post("/collections/{name}/points/search/batch", guarded("search_batch", this::searchBatch));
            c.routes.error(404, "*", ctx -> {
                if (ctx.result() == null || !ctx.result().contains("\"status\":{\"error\"")) { // not one of ours
                    error(ctx, 404, "no such endpoint: " + ctx.method() + " " + ctx.path());
                }
            });
            c.routes.exception(Exception.class, (e, ctx) -> error(ctx, 500, String.valueOf(e)));
        });
    }

    /** Starts a server; {@code port} 0 picks a free one ({@link #port()}). */
    public static MmgraphServer start(Config config) throws IOException {
        MmgraphServer s = new MmgraphServer(config);
        try {
            s.app.start();
        } catch (RuntimeException e) {
            s.collections.close();
            throw new IOException("cannot serve on " + config.bind() + ":" + config.port() + ": " + e.getMessage(), e);
        }
        return s;
    }

    public int port() {
        return app.port();
    }

    /**
     * Stops taking requests (new ones get 503), waits up to 30 s for running ones to finish, then commits and closes
     * every collection.
     */
    @Override
    public void close() throws IOException {
        stopping = true;
        long deadline = System.nanoTime() + SHUTDOWN_WAIT_MILLIS * 1_000_000;
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
        app.stop();
        collections.close();
    }

    // ------------------------------------------------------------------------------------------- plumbing

    private interface Endpoint {
        Object handle(Context ctx) throws Exception;
    }

    /** The endpoint behind the API key check, counted, its result wrapped as Qdrant does, its errors as JSON. */
    private Handler guarded(String name, Endpoint endpoint) {
        return ctx -> {
            long t0 = System.nanoTime();
            requests.computeIfAbsent(name, k -> new LongAdder()).increment();
            inFlight.incrementAndGet();
            try {
                if (stopping) {
                    throw new ApiException(503, "the server is shutting down");
                }
                authorize(ctx);
                Object result = endpoint.handle(ctx);
                if (result instanceof String text) {
                    ctx.contentType("text/plain; version=0.0.4").result(text);
                    return;
                }
                ObjectNode body = JSON.createObjectNode();
                body.set("result", JSON.valueToTree(result));
                body.put("status", "ok");
                body.put("time", (System.nanoTime() - t0) / 1e9);
                ctx.contentType("application/json").result(JSON.writeValueAsBytes(body));
            } catch (ApiException e) {
                error(ctx, e.status, e.getMessage());
            } catch (JsonProcessingException e) {
                error(ctx, 400, "body is not valid JSON: " + e.getOriginalMessage());
            } catch (IllegalArgumentException e) { // also DimensionMismatchException, InvalidVectorException
                error(ctx, 400, e.getMessage());
            } catch (io.javalin.http.HttpResponseException e) {
                error(ctx, e.getStatus(), e.getMessage());
            } catch (io.mmgraph.index.IndexClosedException e) {
                error(ctx, 404, "the collection was deleted or the server is shutting down");
            } finally {
                inFlight.decrementAndGet();
            }
        };
    }

    private void authorize(Context ctx) {
        String key = config.apiKey();
        if (key == null) {
            return;
        }
        String given = ctx.header("api-key");
        String bearer = ctx.header("Authorization");
        if (given == null && bearer != null && bearer.startsWith("Bearer ")) {
            given = bearer.substring("Bearer ".length());
        }
        if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                key.getBytes(StandardCharsets.UTF_8))) {
            throw new ApiException(401, "missing or wrong API key (header api-key, or Authorization: Bearer)");
        }
    }

    private static void error(Context ctx, int status, String message) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("status").put("error", message);
        body.put("time", 0.0);
        try {
            ctx.status(status).contentType("application/json").result(JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            ctx.status(500).result("{\"status\":{\"error\":\"internal\"}}");
        }
    }

    private static JsonNode body(Context ctx) throws IOException {
        byte[] bytes = ctx.bodyAsBytes();
        if (bytes.length == 0) {
            throw ApiException.badRequest("the request needs a JSON body");
        }
        JsonNode n = JSON.readTree(bytes);
        if (n == null || !n.isObject()) {
            throw ApiException.badRequest("the body must be a JSON object");
        }
        return n;
    }

    private static boolean wait(Context ctx) {
        return "true".equalsIgnoreCase(ctx.queryParam("wait"));
    }

    // ------------------------------------------------------------------------------------------- collections

    private Object listCollections(Context ctx) throws IOException {
        List<Map<String, String>> out = new ArrayList<>();
        for (String name : collections.names()) {
            out.add(Map.of("name", name));
        }
        return Map.of("collections", out);
    }

    private Object createCollection(Context ctx) throws IOException {
        JsonNode body = body(ctx);
        JsonNode vectors = body.path("vectors");
        if (!vectors.path("size").isInt() || vectors.path("size").asInt() < 1) {
            throw ApiException.badRequest("vectors.size must be a positive integer");
        }
        Metric metric = Distances.metric(vectors.path("distance").asText("Cosine"));
        JsonNode hnsw = body.path("hnsw_config");
        Integer m = hnsw.path("m").isInt() ? hnsw.path("m").asInt() : null;
        Integer efConstruct = hnsw.path("ef_construct").isInt() ? hnsw.path("ef_construct").asInt() : null;
        if (!collections.create(ctx.pathParam("name"), vectors.path("size").asInt(), metric, m, efConstruct)) {
            throw new ApiException(409, "collection '" + ctx.pathParam("name") + "' already exists");
        }
        return true;
    }

    private Object collectionInfo(Context ctx) throws IOException {
        MMapGraph g = collections.get(ctx.pathParam("name"));
        ObjectNode info = JSON.createObjectNode();
        info.put("status", "green");
        info.put("points_count", g.size() - g.deletedCount());
        info.put("vectors_count", g.size());
        info.put("deleted_count", g.deletedCount());
        ObjectNode vectors = info.putObject("config").putObject("params").putObject("vectors");
        vectors.put("size", g.dimension());
        vectors.put("distance", Distances.name(g.metric()));
        ObjectNode schema = info.putObject("payload_schema");
        for (String field : g.indexedFields()) {
            schema.putObject(field).put("points", g.size() - g.deletedCount());
        }
        return info;
    }

    /**
     * Qdrant's {@code PUT /collections/{name}/index} ({@code {"field_name": …, "field_schema": …}}): a column for the
     * field, whatever its schema says (one column holds any JSON value), built before the answer.
     */
    private Object createFieldIndex(Context ctx) throws IOException {
        MMapGraph g = collections.get(ctx.pathParam("name"));
        JsonNode field = body(ctx).path("field_name");
        if (!field.isTextual() || field.asText().isEmpty()) {
            throw ApiException.badRequest("field_name must be a non-empty string");
        }
        try {
            g.indexField(field.asText());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        return Map.of("operation_id", 0, "status", "completed");
    }

    private Object dropFieldIndex(Context ctx) throws IOException {
        MMapGraph g = collections.get(ctx.pathParam("name"));
        g.dropFieldIndex(ctx.pathParam("field"));
        return Map.of("operation_id", 0, "status", "completed");
    }

    private Object dropCollection(Context ctx) throws IOException {
        return collections.drop(ctx.pathParam("name"));
    }

    // ------------------------------------------------------------------------------------------- points

    private Object upsertPoints(Context ctx) throws IOException {
        MMapGraph g = collections.get(ctx.pathParam("name"));
        JsonNode points = body(ctx).path("points");
        if (!points.isArray() || points.isEmpty()) {
            throw ApiException.badRequest("points must be a non-empty array of {id, vector, payload}");
        }
        List<String> ids = new ArrayList<>();
        List<float[]> vectors = new ArrayList<>();
        List<String> payloads = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            JsonNode p = points.get(i);
            ids.add(Ids.of(p.get("id"), "points[" + i + "].id"));
            vectors.add(vector(p.get("vector"), "points[" + i + "].vector"));
            JsonNode payload = p.get("payload");
            if (payload != null && !payload.isNull() && !payload.isObject()) {
                throw ApiException.badRequest("points[" + i + "].payload must be a JSON object");
            }
            payloads.add(payload == null || payload.isNull() ? null : JSON.writeValueAsString(payload));
        }
        g.upsertAll(ids, vectors, payloads, Math.min(points.size(), Runtime.getRuntime().availableProcessors()));
        if (wait(ctx)) {
            g.sync();
        }
        return Map.of("operation_id", 0, "status", wait(ctx) ? "completed" : "acknowledged");
    }

    private Object getPoints(Context ctx) throws IOException {
        MMapGraph g = collections.get(ctx.pathParam("name"));
        JsonNode body = body(ctx);
        JsonNode ids = body.path("ids");
        if (!ids.isArray()) {
            throw ApiException.badRequest("ids must be an array");
        }
        boolean withPayload = body.path("with_payload").asBoolean(true);
        boolean withVector = body.path("with_vector").asBoolean(false);
        ArrayNode out = JSON.createArrayNode();
        for (int i = 0; i < ids.size(); i++) {
            Optional<Document> d = g.get(Ids.of(ids.get(i), "ids[" + i + "]"));
            if (d.isPresent()) {
                out.add(point(g, d.get().ordinal(), withPayload, withVector, null));
            }
        }
        return out;
    }

    private Object getPoint(Context ctx) throws IOException {
        MMapGraph g = collections.get(ctx.pathParam("name"));
        String id = ctx.pathParam("id");
        Optional<Document> d = g.get(id);
        if (d.isEmpty()) {
            throw ApiException.notFound("no point " + id + " in collection '" + ctx.pathParam("name") + "'");
        }
        return point(g, d.get().ordinal(), true, true, null);
    }

    private Object deletePoints(Context ctx) throws IOException {
        MMapGraph g = collections.get(ctx.pathParam("name"));
        JsonNode points = body(ctx).path("points");
        if (!points.isArray()) {
            throw ApiException.badRequest("points must be an array of ids");
        }
        int deleted = 0;
        for (int i = 0; i < points.size(); i++) {
            deleted += g.delete(Ids.of(points.get(i), "points[" + i + "]")) ? 1 : 0;
        }
        if (wait(ctx)) {
            g.sync();
        }
        return Map.of("operation_id", 0, "status", wait(ctx) ? "completed" : "acknowledged", "deleted", deleted);
    }

    // ------------------------------------------------------------------------------------------- search

    private Object search(Context ctx) throws IOException {
        MMapGraph g = collections.get(ctx.pathParam("name"));
        return searchOne(g, body(ctx), "");
    }

    private Object searchBatch(Context ctx) throws IOException {
        MMapGraph g = collections.get(ctx.pathParam("name"));
        JsonNode searches = body(ctx).path("searches");
        if (!searches.isArray()) {
            throw ApiException.badRequest("searches must be an array of search requests");
        }
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < searches.size(); i++) {
            out.add(searchOne(g, searches.get(i), "searches[" + i + "]."));
        }
        return out;
    }

    private ArrayNode searchOne(MMapGraph g, JsonNode req, String where) throws IOException {
        float[] q = vector(req.get("vector"), where + "vector");
        int limit = req.path("limit").asInt(10);
        if (limit < 1 || limit > 10_000) {
            throw ApiException.badRequest(where + "limit must be 1-10000");
        }
        JsonNode params = req.path("params");
        int ef = params.path("hnsw_ef").asInt(SearchOptions.DEFAULT_EF);
        if (ef < 1 || ef > MAX_EF) {
            throw ApiException.badRequest(where + "params.hnsw_ef must be 1-" + MAX_EF);
        }
        SearchOptions o = SearchOptions.k(limit).withEf(Math.max(limit, ef));
        if (params.path("exact").asBoolean(false)) {
            o = o.exactSearch();
        }
        JsonNode filter = req.get("filter");
        if (filter != null && !filter.isNull()) {
            try {
                o = o.withFilter(g.payloadFilter(QdrantFilters.parse(JSON.writeValueAsString(filter))));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest(where + e.getMessage());
            }
        }
        boolean withPayload = req.path("with_payload").asBoolean(false);
        boolean withVector = req.path("with_vector").asBoolean(false);
        long t0 = System.nanoTime();
        List<Neighbor> found = g.search(q, o).neighbors();
        searchNanos.add(System.nanoTime() - t0);
        searches.increment();
        ArrayNode out = JSON.createArrayNode();
        for (Neighbor n : found) {
            out.add(point(g, n.ordinal(), withPayload, withVector, Distances.score(g.metric(), n.distance())));
        }
        return out;
    }

    private static ObjectNode point(MMapGraph g, int ordinal, boolean withPayload, boolean withVector, Double score)
            throws IOException {
        ObjectNode p = JSON.createObjectNode();
        p.set("id", Ids.json(g.id(ordinal)));
        if (score != null) {
            p.put("score", score);
        }
        if (withPayload) {
            p.set("payload", payloadNode(g.payload(ordinal)));
        }
        if (withVector) {
            ArrayNode v = p.putArray("vector");
            for (float f : g.vector(ordinal)) {
                v.add(f);
            }
        }
        return p;
    }

    /** A stored payload as JSON: parsed, or (stored by the library as plain text) a JSON string. */
    private static JsonNode payloadNode(String payload) {
        if (payload == null) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(payload);
        } catch (JsonProcessingException notJson) {
            return JSON.getNodeFactory().textNode(payload);
        }
    }

    private static float[] vector(JsonNode node, String where) {
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw ApiException.badRequest(where + " must be a non-empty array of numbers");
        }
        float[] v = new float[node.size()];
        for (int i = 0; i < v.length; i++) {
            if (!node.get(i).isNumber()) {
                throw ApiException.badRequest(where + "[" + i + "] is not a number");
            }
            v[i] = node.get(i).floatValue();
        }
        return v;
    }

    // ------------------------------------------------------------------------------------------- metrics

    private Object metrics(Context ctx) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append("# HELP mmgraph_requests_total Requests by endpoint.\n# TYPE mmgraph_requests_total counter\n");
        requests.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> sb.append(
                "mmgraph_requests_total{endpoint=\"").append(e.getKey()).append("\"} ").append(e.getValue().sum())
                .append('\n'));
        sb.append("# HELP mmgraph_search_seconds Time in searches.\n# TYPE mmgraph_search_seconds summary\n");
        sb.append("mmgraph_search_seconds_count ").append(searches.sum()).append('\n');
        sb.append("mmgraph_search_seconds_sum ").append(searchNanos.sum() / 1e9).append('\n');
        sb.append("# HELP mmgraph_points Live points by collection.\n# TYPE mmgraph_points gauge\n");
        collections.openPoints().forEach((name, points) -> sb.append("mmgraph_points{collection=\"").append(name)
                .append("\"} ").append(points).append('\n'));
        return sb.toString();
    }
}
