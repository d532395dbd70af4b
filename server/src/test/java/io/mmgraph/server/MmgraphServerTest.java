package io.mmgraph.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.mmgraph.index.MMapGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The HTTP server over a real socket: every endpoint, its errors, the API key, size limits and shutdown. */
class MmgraphServerTest {
    @TempDir
    Path tmp;

    private final HttpClient http = HttpClient.newHttpClient();

    private record Reply(int status, JsonNode json, String text) {}

    private Reply call(MmgraphServer s, String method, String path, String body, String apiKey) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (apiKey != null) {
            b.header("api-key", apiKey);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = null;
        if (r.body().startsWith("{")) {
            json = MmgraphServer.JSON.readTree(r.body());
        }
        return new Reply(r.statusCode(), json, r.body());
    }

    private Reply call(MmgraphServer s, String method, String path, String body) throws Exception {
        return call(s, method, path, body, null);
    }

    private MmgraphServer start(String apiKey) throws IOException {
        return MmgraphServer.start(new MmgraphServer.Config(tmp.resolve("data"), "127.0.0.1", 0, apiKey, 64 * 1024));
    }

    @Test
    void collectionsPointsAndFilteredSearchWorkOverHttpAndSurviveARestart() throws Exception {
        try (MmgraphServer s = start(null)) {
            Reply created = call(s, "PUT", "/collections/docs", "{\"vectors\":{\"size\":3,\"distance\":\"Euclid\"}}");
            assertEquals(200, created.status(), created.text());
            assertTrue(created.json().get("result").asBoolean());
            assertEquals(409, call(s, "PUT", "/collections/docs", "{\"vectors\":{\"size\":3}}").status());
            StringBuilder points = new StringBuilder("{\"points\":[");
            for (int i = 0; i < 50; i++) {
                points.append(i == 0 ? "" : ",").append("{\"id\":").append(i % 2 == 0 ? Integer.toString(i) : "\"p" + i + "\"")
                        .append(",\"vector\":[").append(i).append(",0,0],\"payload\":{\"color\":\"")
                        .append(i % 3 == 0 ? "red" : "blue").append("\",\"n\":").append(i).append("}}");
            }
            Reply up = call(s, "PUT", "/collections/docs/points?wait=true", points.append("]}").toString());
            assertEquals(200, up.status(), up.text());
            assertEquals("completed", up.json().at("/result/status").asText());

            Reply info = call(s, "GET", "/collections/docs", null);
            assertEquals(50, info.json().at("/result/points_count").asInt());
            assertEquals("Euclid", info.json().at("/result/config/params/vectors/distance").asText());
            assertEquals("docs", call(s, "GET", "/collections", null).json().at("/result/collections/0/name").asText());

            Reply point = call(s, "GET", "/collections/docs/points/p7", null);
            assertEquals(200, point.status(), point.text());
            assertEquals("p7", point.json().at("/result/id").asText());
            assertEquals(7, point.json().at("/result/payload/n").asInt());
            assertEquals(7.0, point.json().at("/result/vector/0").asDouble());
            Reply two = call(s, "POST", "/collections/docs/points", "{\"ids\":[4,\"p5\",\"nope\"]}");
            assertEquals(2, two.json().get("result").size());
            assertEquals(4, two.json().at("/result/0/id").asInt(), "an integer id comes back as a number");

            Reply hits = call(s, "POST", "/collections/docs/points/search", "{\"vector\":[10.2,0,0],\"limit\":3,"
                    + "\"with_payload\":true,\"filter\":{\"must\":[{\"key\":\"color\",\"match\":{\"value\":\"red\"}}]}}");
            assertEquals(200, hits.status(), hits.text());
            JsonNode r = hits.json().get("result");
            assertEquals(3, r.size());
            assertEquals("p9", r.get(0).get("id").asText(), "nearest red to 10.2: p9, then 12, then 6");
            assertEquals(12, r.get(1).get("id").asInt());
            assertEquals(1.2, r.get(0).get("score").asDouble(), 1e-4, "Euclid scores are distances");
            assertEquals("red", r.get(0).at("/payload/color").asText());
            // With the field indexed (Qdrant's create-index call), the same search reads its column: same answer.
            Reply index = call(s, "PUT", "/collections/docs/index", "{\"field_name\":\"color\",\"field_schema\":\"keyword\"}");
            assertEquals(200, index.status(), index.text());
            assertEquals(50, call(s, "GET", "/collections/docs", null).json().at("/result/payload_schema/color/points").asInt());
            Reply again = call(s, "POST", "/collections/docs/points/search", "{\"vector\":[10.2,0,0],\"limit\":3,"
                    + "\"with_payload\":true,\"filter\":{\"must\":[{\"key\":\"color\",\"match\":{\"value\":\"red\"}}]}}");
            assertEquals(r, again.json().get("result"));
            assertEquals(400, call(s, "PUT", "/collections/docs/index", "{\"field_name\":\"a..b\"}").status());
            assertEquals(200, call(s, "DELETE", "/collections/docs/index/color", null).status());
            assertTrue(call(s, "GET", "/collections/docs", null).json().at("/result/payload_schema").isEmpty());
            Reply batch = call(s, "POST", "/collections/docs/points/search/batch",
                    "{\"searches\":[{\"vector\":[0,0,0],\"limit\":1},{\"vector\":[49,0,0],\"limit\":2}]}");
            assertEquals(0, batch.json().at("/result/0/0/id").asInt());
            assertEquals("p49", batch.json().at("/result/1/0/id").asText());

            Reply del = call(s, "POST", "/collections/docs/points/delete?wait=true", "{\"points\":[\"p49\",48]}");
            assertEquals(2, del.json().at("/result/deleted").asInt());
            assertEquals(404, call(s, "GET", "/collections/docs/points/p49", null).status());
            Reply upd = call(s, "PUT", "/collections/docs/points", "{\"points\":[{\"id\":0,\"vector\":[100,0,0]}]}");
            assertEquals(200, upd.status());
            assertEquals("acknowledged", upd.json().at("/result/status").asText());

            String metrics = call(s, "GET", "/metrics", null).text();
            assertTrue(metrics.contains("mmgraph_requests_total{endpoint=\"search_points\"} 2"), metrics);
            assertTrue(metrics.contains("mmgraph_points{collection=\"docs\"} 48"), metrics);
            assertEquals("ok\n", call(s, "GET", "/healthz", null).text());
        }
        // Closing the server committed everything, the unwaited upsert included.
        try (MMapGraph g = MMapGraph.openReadOnly(tmp.resolve("data").resolve("docs"))) {
            assertEquals(48, g.size() - g.deletedCount());
            assertEquals(100f, g.vector(g.get("0").orElseThrow().ordinal())[0]);
        }
        try (MmgraphServer s = start(null)) {
            assertEquals(48, call(s, "GET", "/collections/docs", null).json().at("/result/points_count").asInt());
            assertEquals(200, call(s, "DELETE", "/collections/docs", null).status());
            assertEquals(404, call(s, "GET", "/collections/docs", null).status());
        }
    }

    @Test
    void badRequestsAreJsonErrorsWithTheirStatus() throws Exception {
        try (MmgraphServer s = start(null)) {
            call(s, "PUT", "/collections/c", "{\"vectors\":{\"size\":2,\"distance\":\"Dot\"}}");
            Object[][] cases = {
                    {"GET", "/collections/missing", null, 404, "does not exist"},
                    {"PUT", "/collections/bad%20name", "{\"vectors\":{\"size\":2}}", 400, "collection name"},
                    {"PUT", "/collections/x", "{\"vectors\":{\"size\":0}}", 400, "vectors.size"},
                    {"PUT", "/collections/x", "{\"vectors\":{\"size\":2,\"distance\":\"Manhattan\"}}", 400, "Cosine, Euclid or Dot"},
                    {"PUT", "/collections/c/points", "{not json", 400, "not valid JSON"},
                    {"PUT", "/collections/c/points", "{\"points\":[{\"id\":1,\"vector\":[1,2,3]}]}", 400, "dimension"},
                    {"PUT", "/collections/c/points", "{\"points\":[{\"id\":-1,\"vector\":[1,2]}]}", 400, "unsigned integer"},
                    {"PUT", "/collections/c/points", "{\"points\":[{\"id\":1,\"vector\":[1,\"x\"]}]}", 400, "is not a number"},
                    {"POST", "/collections/c/points/search", "{\"vector\":[1,2],\"filter\":{\"must\":{}}}", 400, "must be an array"},
                    {"POST", "/collections/c/points/search", "{\"vector\":[1,2],\"limit\":0}", 400, "limit"},
                    {"GET", "/no/such/endpoint", null, 404, "no such endpoint"},
            };
            for (Object[] c : cases) {
                Reply r = call(s, (String) c[0], (String) c[1], (String) c[2]);
                assertEquals(c[3], r.status(), c[1] + " " + r.text());
                assertTrue(r.json() != null && r.json().at("/status/error").asText().contains((String) c[4]),
                        c[1] + ": " + r.text());
            }
            String big = "{\"points\":[{\"id\":1,\"vector\":[1,2],\"payload\":{\"x\":\"" + "a".repeat(70_000) + "\"}}]}";
            assertEquals(413, call(s, "PUT", "/collections/c/points", big).status(), "over the 64 KiB limit");
            assertEquals(0, call(s, "GET", "/collections/c", null).json().at("/result/points_count").asInt());
        }
    }

    @Test
    void anApiKeyGuardsEveryEndpointButHealth() throws Exception {
        try (MmgraphServer s = start("s3cret")) {
            Reply denied = call(s, "GET", "/collections", null);
            assertEquals(401, denied.status());
            assertTrue(denied.json().at("/status/error").asText().contains("API key"));
            assertEquals(401, call(s, "GET", "/collections", null, "wrong").status());
            assertEquals(200, call(s, "GET", "/collections", null, "s3cret").status());
            assertEquals(200, call(s, "GET", "/healthz", null).status());
            HttpResponse<String> bearer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port()
                    + "/collections")).header("Authorization", "Bearer s3cret").build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, bearer.statusCode());
            assertFalse(bearer.body().contains("error"));
        }
    }
}
