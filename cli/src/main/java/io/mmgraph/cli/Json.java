package io.mmgraph.cli;

import java.util.Map;

/** A minimal JSON writer for the CLI's {@code --json} output (flat objects of numbers, strings and maps). */
final class Json {
    private Json() {}

    static String object(Map<String, ?> fields) {
        StringBuilder sb = new StringBuilder("{");
        boolean first = true;
        for (Map.Entry<String, ?> e : fields.entrySet()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            sb.append(string(e.getKey())).append(':').append(value(e.getValue()));
        }
        return sb.append('}').toString();
    }

    @SuppressWarnings("unchecked")
    private static String value(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Map<?, ?> m) {
            return object((Map<String, ?>) m);
        }
        if (v instanceof java.util.List<?> list) {
            StringBuilder sb = new StringBuilder("[");
            for (Object item : list) {
                sb.append(sb.length() > 1 ? "," : "").append(value(item));
            }
            return sb.append(']').toString();
        }
        if (v instanceof Double d) {
            return Double.isFinite(d) ? d.toString() : "null";
        }
        if (v instanceof Float f) {
            return Float.isFinite(f) ? f.toString() : "null";
        }
        if (v instanceof Number || v instanceof Boolean) {
            return v.toString();
        }
        return string(v.toString());
    }

    static String string(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
