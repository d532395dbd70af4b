package io.mmgraph.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mmgraph.dataset.VectorSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Documents from a JSON Lines file, one object per line: {@code {"id": "a" or 42, "vector": [0.1, …],
 * "payload": {…}}}. The id (a string, or an integer written as its decimal digits) and the payload (any JSON value,
 * stored as compact JSON text) are optional; blank lines are skipped. The count is found by a pass over the lines at
 * open; the dimension from the first document. A bad line is an error that names its line number.
 */
final class JsonLinesSource implements VectorSource {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final BufferedReader in;
    private final long count;
    private final int dimension;
    private long lineNumber;
    private JsonNode pending;
    private long pendingLine;
    private String id;
    private String payload;

    JsonLinesSource(Path file) throws IOException {
        this.file = file;
        long n = 0;
        try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
            n = lines.filter(l -> !l.isBlank()).count();
        } catch (java.io.UncheckedIOException e) {
            throw new IOException(file + " is not UTF-8 text: " + e.getCause().getMessage(), e.getCause());
        }
        this.count = n;
        this.in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        advance();
        this.dimension = pending == null ? 0 : pending.get("vector").size();
    }

    /** Reads the next non-blank line into {@link #pending} (null at the end), checking its shape. */
    private void advance() throws IOException {
        String line;
        do {
            line = in.readLine();
            lineNumber++;
        } while (line != null && line.isBlank());
        if (line == null) {
            pending = null;
            return;
        }
        JsonNode doc;
        try {
            doc = JSON.readTree(line);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(file + " line " + lineNumber + ": not JSON: " + e.getOriginalMessage(), e);
        }
        if (doc == null || !doc.isObject() || !doc.path("vector").isArray() || doc.get("vector").isEmpty()) {
            throw new IOException(file + " line " + lineNumber + ": expected an object with a non-empty \"vector\" array");
        }
        JsonNode idNode = doc.get("id");
        if (idNode != null && !idNode.isNull() && !idNode.isTextual() && !idNode.isIntegralNumber()) {
            throw new IOException(file + " line " + lineNumber + ": \"id\" must be a string or an integer");
        }
        pending = doc;
        pendingLine = lineNumber;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public long count() {
        return count;
    }

    @Override
    public boolean hasNext() {
        return pending != null;
    }

    @Override
    public void next(float[] into) throws IOException {
        JsonNode doc = pending;
        JsonNode vector = doc.get("vector");
        if (vector.size() != dimension) {
            throw new IOException(file + " line " + pendingLine + ": vector of " + vector.size()
                    + " components, the first line's has " + dimension);
        }
        for (int i = 0; i < dimension; i++) {
            JsonNode c = vector.get(i);
            if (!c.isNumber()) {
                throw new IOException(file + " line " + pendingLine + ": vector component " + i + " is not a number");
            }
            into[i] = c.floatValue();
        }
        JsonNode idNode = doc.get("id");
        id = idNode == null || idNode.isNull() ? null : idNode.asText();
        JsonNode p = doc.get("payload");
        payload = p == null || p.isNull() ? null : JSON.writeValueAsString(p);
        advance();
    }

    /** The id of the document {@link #next} read last, or null when it had none. */
    String id() {
        return id;
    }

    /** The payload (compact JSON) of the document {@link #next} read last, or null when it had none. */
    String payload() {
        return payload;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
