package io.mmgraph.filter;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A condition on a vector's payload (a JSON object), as Qdrant's filters express them: a field equal to a value,
 * equal to one of a set, or in a numeric range, combined with and, or and not. A field is named by its path (keys
 * joined by dots); where it holds an array, a condition holds when it holds for any element. A vector without a
 * payload, or whose payload is not a JSON object, matches no field condition (and so matches their negation).
 *
 * <p>Values compare as JSON does: numbers by value (1 and 1.0 are equal), strings and booleans exactly.
 */
public sealed interface PayloadFilter {
    /** Whether a parsed payload ({@link JsonPayload#parse}; null for none) satisfies this condition. */
    boolean test(Object payload);

    static PayloadFilter equalTo(String field, Object value) {
        return new AnyOf(field, Set.of(normalize(value)));
    }

    static PayloadFilter anyOf(String field, java.util.Collection<?> values) {
        return new AnyOf(field, Set.copyOf(values.stream().map(PayloadFilter::normalize).toList()));
    }

    /** A numeric range; a null bound is open. {@code inclusive*}: whether the bound itself is in the range. */
    static PayloadFilter range(String field, Double lower, boolean inclusiveLower, Double upper,
                               boolean inclusiveUpper) {
        return new Range(field, lower, inclusiveLower, upper, inclusiveUpper);
    }

    static PayloadFilter and(List<PayloadFilter> all) {
        return new And(List.copyOf(all));
    }

    static PayloadFilter or(List<PayloadFilter> any) {
        return new Or(List.copyOf(any));
    }

    static PayloadFilter not(PayloadFilter f) {
        return new Not(f);
    }

    /**
     * A field with a value outside {@code values}: a scalar not among them, or an array with at least one element not
     * among them (Qdrant's {@code except}). A missing field has no such value.
     */
    static PayloadFilter noneOf(String field, java.util.Collection<?> values) {
        return new NoneOf(field, Set.copyOf(values.stream().map(PayloadFilter::normalize).toList()));
    }

    /** Numbers as Double, so that 1, 1L and 1.0 are one value; strings and booleans as they are. */
    private static Object normalize(Object v) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof String || v instanceof Boolean) {
            return v;
        }
        throw new IllegalArgumentException("a filter value is a string, a number or a boolean, not " + v);
    }

    /** Each scalar of a field: the value itself, or each element of an array. */
    private static boolean anyScalar(Object value, java.util.function.Predicate<Object> p) {
        if (value instanceof List<?> list) {
            for (Object o : list) {
                if (o != null && !(o instanceof List) && !(o instanceof Map) && p.test(o)) {
                    return true;
                }
            }
            return false;
        }
        return value != null && !(value instanceof Map) && p.test(value);
    }

    record AnyOf(String field, Set<Object> values) implements PayloadFilter {
        @Override
        public boolean test(Object payload) {
            return anyScalar(JsonPayload.field(payload, field), values::contains);
        }
    }

    record NoneOf(String field, Set<Object> values) implements PayloadFilter {
        @Override
        public boolean test(Object payload) {
            return anyScalar(JsonPayload.field(payload, field), v -> !values.contains(v));
        }
    }

    record Range(String field, Double lower, boolean inclusiveLower, Double upper, boolean inclusiveUpper)
            implements PayloadFilter {
        public Range {
            if (lower == null && upper == null) {
                throw new IllegalArgumentException("a range on " + field + " needs a bound");
            }
        }

        @Override
        public boolean test(Object payload) {
            return anyScalar(JsonPayload.field(payload, field), v -> v instanceof Double d
                    && (lower == null || (inclusiveLower ? d >= lower : d > lower))
                    && (upper == null || (inclusiveUpper ? d <= upper : d < upper)));
        }
    }

    record And(List<PayloadFilter> all) implements PayloadFilter {
        @Override
        public boolean test(Object payload) {
            for (PayloadFilter f : all) {
                if (!f.test(payload)) {
                    return false;
                }
            }
            return true;
        }
    }

    record Or(List<PayloadFilter> any) implements PayloadFilter {
        @Override
        public boolean test(Object payload) {
            for (PayloadFilter f : any) {
                if (f.test(payload)) {
                    return true;
                }
            }
            return false;
        }
    }

    record Not(PayloadFilter filter) implements PayloadFilter {
        @Override
        public boolean test(Object payload) {
            return !filter.test(payload);
        }
    }
}
