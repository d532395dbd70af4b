package io.mmgraph.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads filters written as Qdrant writes them, so that its users can bring their filters along:
 * <pre>
 * {"must":     [condition, …],    all hold
 *  "should":   [condition, …],    at least one holds
 *  "must_not": [condition, …]}    none holds
 * condition:  {"key": "a.b", "match": {"value": v}}            equal (any element of an array)
 *             {"key": "a.b", "match": {"any": [v, …]}}         equal to one of
 *             {"key": "a.b", "match": {"except": [v, …]}}      a value (an array: an element) not among
 *             {"key": "a.b", "range": {"gt"|"gte"|"lt"|"lte": n, …}}
 *             a nested filter
 * </pre>
 * Anything else is an {@link IllegalArgumentException} naming what is wrong.
 */
public final class QdrantFilters {
    private QdrantFilters() {}

    public static PayloadFilter parse(String json) {
        return filter(JsonPayload.parse(json), "filter");
    }

    /** A parsed filter object ({@link JsonPayload#parse}). */
    public static PayloadFilter filter(Object node, String where) {
        Map<?, ?> m = object(node, where);
        List<PayloadFilter> parts = new ArrayList<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            String clause = (String) e.getKey();
            List<PayloadFilter> conditions = new ArrayList<>();
            if (!(e.getValue() instanceof List<?> list)) {
                throw new IllegalArgumentException(where + "." + clause + " must be an array of conditions");
            }
            for (int i = 0; i < list.size(); i++) {
                conditions.add(condition(list.get(i), where + "." + clause + "[" + i + "]"));
            }
            switch (clause) {
                case "must" -> parts.add(PayloadFilter.and(conditions));
                case "should" -> parts.add(PayloadFilter.or(conditions));
                case "must_not" -> parts.add(PayloadFilter.not(PayloadFilter.or(conditions)));
                default -> throw new IllegalArgumentException(where + " has " + clause
                        + "; a filter has must, should and must_not");
            }
        }
        return parts.size() == 1 ? parts.getFirst() : PayloadFilter.and(parts);
    }

    private static PayloadFilter condition(Object node, String where) {
        Map<?, ?> m = object(node, where);
        if (!m.containsKey("key")) {
            return filter(m, where);
        }
        if (!(m.get("key") instanceof String key) || key.isEmpty()) {
            throw new IllegalArgumentException(where + ".key must be a non-empty string");
        }
        if (m.get("match") != null) {
            Map<?, ?> match = object(m.get("match"), where + ".match");
            if (match.containsKey("value")) {
                return PayloadFilter.equalTo(key, scalar(match.get("value"), where + ".match.value"));
            }
            if (match.containsKey("any")) {
                return PayloadFilter.anyOf(key, scalars(match.get("any"), where + ".match.any"));
            }
            if (match.containsKey("except")) {
                return PayloadFilter.noneOf(key, scalars(match.get("except"), where + ".match.except"));
            }
            throw new IllegalArgumentException(where + ".match needs value, any or except");
        }
        if (m.get("range") != null) {
            Map<?, ?> range = object(m.get("range"), where + ".range");
            Double gt = number(range.get("gt"), where + ".range.gt");
            Double gte = number(range.get("gte"), where + ".range.gte");
            Double lt = number(range.get("lt"), where + ".range.lt");
            Double lte = number(range.get("lte"), where + ".range.lte");
            if (gt == null && gte == null && lt == null && lte == null) {
                throw new IllegalArgumentException(where + ".range needs gt, gte, lt or lte");
            }
            Double lower = gte != null ? gte : gt;
            Double upper = lte != null ? lte : lt;
            return PayloadFilter.range(key, lower, gte != null, upper, lte != null);
        }
        throw new IllegalArgumentException(where + " needs match or range");
    }

    private static Map<?, ?> object(Object node, String where) {
        if (!(node instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException(where + " must be a JSON object");
        }
        return m;
    }

    private static Object scalar(Object v, String where) {
        if (v instanceof String || v instanceof Double || v instanceof Boolean) {
            return v;
        }
        throw new IllegalArgumentException(where + " must be a string, a number or a boolean");
    }

    private static List<Object> scalars(Object v, String where) {
        if (!(v instanceof List<?> list)) {
            throw new IllegalArgumentException(where + " must be an array");
        }
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            out.add(scalar(list.get(i), where + "[" + i + "]"));
        }
        return out;
    }

    private static Double number(Object v, String where) {
        if (v == null) {
            return null;
        }
        if (v instanceof Double d) {
            return d;
        }
        throw new IllegalArgumentException(where + " must be a number");
    }
}
