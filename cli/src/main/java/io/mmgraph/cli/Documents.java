package io.mmgraph.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mmgraph.index.MMapGraph;

import java.io.IOException;

/** A stored vector as the CLI shows it: id, ordinal, payload (parsed where it is JSON) and, on request, the vector. */
final class Documents {
    static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Documents() {}

    /** One JSON object: {@code {"id":…,"ordinal":…,"payload":…[,"distance":…][,"vector":[…]]}}. */
    static ObjectNode node(MMapGraph index, int ordinal, boolean withVector) throws IOException {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", index.id(ordinal));
        o.put("ordinal", ordinal);
        o.set("payload", payload(index.payload(ordinal)));
        if (withVector) {
            var arr = o.putArray("vector");
            for (float f : index.vector(ordinal)) {
                arr.add(f);
            }
        }
        return o;
    }

    /** A payload as JSON: parsed where it is JSON text, else a JSON string; null stays null. */
    static JsonNode payload(String text) {
        if (text == null) {
            return JSON.nullNode();
        }
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            return JSON.getNodeFactory().textNode(text);
        }
    }

    /** The line {@code export} writes and {@code import} reads: id, vector, payload. */
    static String jsonLine(MMapGraph index, int ordinal) throws IOException {
        ObjectNode o = JSON.createObjectNode();
        String id = index.id(ordinal);
        if (id != null) {
            o.put("id", id);
        }
        var arr = o.putArray("vector");
        for (float f : index.vector(ordinal)) {
            arr.add(f);
        }
        String payload = index.payload(ordinal);
        if (payload != null) {
            o.set("payload", payload(payload));
        }
        return JSON.writeValueAsString(o);
    }
}
