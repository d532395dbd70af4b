package io.mmgraph.filter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON reader for payloads, so that filters can look at their fields without a dependency: objects become
 * {@code Map<String, Object>}, arrays {@code List<Object>}, numbers {@code Double}, strings {@code String}, true and
 * false {@code Boolean}, null {@code null}. Strict about structure (a malformed payload, or one nested deeper than
 * {@link #MAX_DEPTH} arrays and objects, is an
 * {@link IllegalArgumentException}), lenient about nothing else.
 */
public final class JsonPayload {
    /** Deepest nesting of arrays and objects read: deeper text is refused (the parser recurses per level). */
    public static final int MAX_DEPTH = 256;

    private final String text;
    private int at;
    private int depth;

    private JsonPayload(String text) {
        this.text = text;
    }

    /** Parses one JSON value that spans all of {@code text} (surrounding whitespace allowed). */
    public static Object parse(String text) {
        JsonPayload p = new JsonPayload(text);
        Object v = p.value();
        p.skipSpace();
        if (p.at != text.length()) {
            throw p.error("text after the value");
        }
        return v;
    }

    /**
     * The value at {@code path} (keys separated by dots) in a parsed payload, or null where the path leads nowhere
     * (a missing key, or a step into something that is not an object).
     */
    public static Object field(Object payload, String path) {
        Object v = payload;
        int from = 0;
        while (v != null) {
            int dot = path.indexOf('.', from);
            String key = dot < 0 ? path.substring(from) : path.substring(from, dot);
            v = v instanceof Map<?, ?> m ? m.get(key) : null;
            if (dot < 0) {
                return v;
            }
            from = dot + 1;
        }
        return null;
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException("payload is not JSON: " + what + " at character " + at);
    }

    private void skipSpace() {
        while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
            at++;
        }
    }

    private Object value() {
        skipSpace();
        if (at >= text.length()) {
            throw error("unexpected end");
        }
        char c = text.charAt(at);
        if ((c == '{' || c == '[') && depth == MAX_DEPTH) {
            throw error("nested deeper than " + MAX_DEPTH + " levels");
        }
        return switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> number();
        };
    }

    private Object literal(String word, Object v) {
        if (!text.startsWith(word, at)) {
            throw error("unknown word");
        }
        at += word.length();
        return v;
    }

    private Map<String, Object> object() {
        Map<String, Object> m = new LinkedHashMap<>();
        at++;
        depth++;
        skipSpace();
        if (at < text.length() && text.charAt(at) == '}') {
            at++;
            depth--;
            return m;
        }
        while (true) {
            skipSpace();
            if (at >= text.length() || text.charAt(at) != '"') {
                throw error("expected a key");
            }
            String key = string();
            skipSpace();
            if (at >= text.length() || text.charAt(at) != ':') {
                throw error("expected ':'");
            }
            at++;
            m.put(key, value());
            skipSpace();
            if (at < text.length() && text.charAt(at) == ',') {
                at++;
            } else if (at < text.length() && text.charAt(at) == '}') {
                at++;
                depth--;
                return m;
            } else {
                throw error("expected ',' or '}'");
            }
        }
    }

    private List<Object> array() {
        List<Object> list = new ArrayList<>();
        at++;
        depth++;
        skipSpace();
        if (at < text.length() && text.charAt(at) == ']') {
            at++;
            depth--;
            return list;
        }
        while (true) {
            list.add(value());
            skipSpace();
            if (at < text.length() && text.charAt(at) == ',') {
                at++;
            } else if (at < text.length() && text.charAt(at) == ']') {
                at++;
                depth--;
                return list;
            } else {
                throw error("expected ',' or ']'");
            }
        }
    }

    private String string() {
        StringBuilder sb = new StringBuilder();
        at++;
        while (at < text.length()) {
            char c = text.charAt(at++);
            if (c == '"') {
                return sb.toString();
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (at >= text.length()) {
                break;
            }
            char e = text.charAt(at++);
            switch (e) {
                case '"', '\\', '/' -> sb.append(e);
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    if (at + 4 > text.length()) {
                        throw error("short \\u escape");
                    }
                    try {
                        sb.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                    } catch (NumberFormatException ex) {
                        throw error("bad \\u escape");
                    }
                    at += 4;
                }
                default -> throw error("bad escape");
            }
        }
        throw error("unterminated string");
    }

    private Double number() {
        int start = at;
        while (at < text.length() && "+-0123456789.eE".indexOf(text.charAt(at)) >= 0) {
            at++;
        }
        if (start == at) {
            throw error("unexpected character '" + text.charAt(at) + "'");
        }
        try {
            return Double.valueOf(text.substring(start, at));
        } catch (NumberFormatException e) {
            throw error("bad number");
        }
    }
}
