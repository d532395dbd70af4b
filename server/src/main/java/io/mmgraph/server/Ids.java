package io.mmgraph.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * Point ids as Qdrant has them, unsigned integers or strings (UUIDs there, any string here), mapped to mmgraph's
 * string ids: an integer is stored as its decimal digits, and an id of decimal digits (no leading zero, at most 19)
 * is returned as a JSON number.
 */
final class Ids {
    private Ids() {}

    static String of(JsonNode node, String where) {
        if (node != null && node.isIntegralNumber() && node.canConvertToLong() && node.asLong() >= 0) {
            return Long.toString(node.asLong());
        }
        if (node != null && node.isTextual() && !node.asText().isEmpty()) {
            return node.asText();
        }
        throw ApiException.badRequest(where + " must be an unsigned integer or a non-empty string");
    }

    static JsonNode json(String id) {
        if (id == null) {
            return JsonNodeFactory.instance.nullNode();
        }
        if (id.matches("0|[1-9][0-9]{0,18}")) {
            try {
                return JsonNodeFactory.instance.numberNode(Long.parseLong(id));
            } catch (NumberFormatException tooLarge) {
                // a string then
            }
        }
        return JsonNodeFactory.instance.textNode(id);
    }
}
