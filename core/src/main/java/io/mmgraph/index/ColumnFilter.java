package io.mmgraph.index;

import io.mmgraph.filter.PayloadFilter;
import io.mmgraph.format.FieldColumn;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link PayloadFilter} evaluated on payload field columns rather than on payloads: each condition reads its
 * field's 16-byte entry. Three-valued, as Kleene's logic: a condition is true, false, or {@link #UNKNOWN} (the field
 * has no column, the entry is not covered or fails its check, the array is mixed, or a long string's hash equals a
 * value's), and {@code and}, {@code or} and {@code not} combine them so that a known result is the payload's result
 * whatever the unknown parts hold. Only an unknown result leaves the payload to decide.
 *
 * <p>Immutable and safe from any thread; it reads the columns open when it was compiled.
 */
final class ColumnFilter {
    static final int FALSE = 0;
    static final int TRUE = 1;
    static final int UNKNOWN = 2;

    private final Node root;
    private final boolean complete;

    private ColumnFilter(Node root, boolean complete) {
        this.root = root;
        this.complete = complete;
    }

    /** Compiles {@code filter} over {@code columns}; null when none of its fields has a column. */
    static ColumnFilter compile(PayloadFilter filter, FieldIndexes columns) {
        boolean[] any = {false};
        boolean[] all = {true};
        Node root = node(filter, columns, any, all);
        return any[0] ? new ColumnFilter(root, all[0]) : null;
    }

    /** {@link #TRUE}, {@link #FALSE} or {@link #UNKNOWN} for {@code ordinal}. */
    int test(int ordinal) {
        return root.test(ordinal);
    }

    /** Whether every field the filter names has a column (only mixed arrays and hash matches then read payloads). */
    boolean complete() {
        return complete;
    }

    private static Node node(PayloadFilter f, FieldIndexes columns, boolean[] any, boolean[] all) {
        return switch (f) {
            case PayloadFilter.And a -> new And(children(a.all(), columns, any, all), true);
            case PayloadFilter.Or o -> new And(children(o.any(), columns, any, all), false);
            case PayloadFilter.Not n -> new Not(node(n.filter(), columns, any, all));
            case PayloadFilter.AnyOf a -> leaf(a.field(), columns, any, all, c -> new Member(c, Values.of(a.values()), false));
            case PayloadFilter.NoneOf n -> leaf(n.field(), columns, any, all, c -> new Member(c, Values.of(n.values()), true));
            case PayloadFilter.Range r -> leaf(r.field(), columns, any, all, c -> new Range(c, r));
        };
    }

    private static Node[] children(List<PayloadFilter> fs, FieldIndexes columns, boolean[] any, boolean[] all) {
        List<Node> out = new ArrayList<>();
        for (PayloadFilter f : fs) {
            out.add(node(f, columns, any, all));
        }
        return out.toArray(Node[]::new);
    }

    private static Node leaf(String field, FieldIndexes columns, boolean[] any, boolean[] all,
                             java.util.function.Function<FieldColumn, Node> make) {
        FieldColumn c = columns.column(field);
        if (c == null) {
            all[0] = false;
            return UNINDEXED;
        }
        any[0] = true;
        return make.apply(c);
    }

    /**
     * The ordinals of {@code [0, n)} the filter accepts, found column by column in bulk passes (each leaf reads its
     * column once, at memory speed, and {@code and} / {@code or} / {@code not} combine bit sets), with
     * {@code resolve} deciding the ordinals the columns leave unknown. What a scan of the accepted nodes needs at
     * once, for a few nanoseconds per ordinal where {@link #test} costs tens.
     */
    java.util.BitSet accepted(int n, java.util.function.IntPredicate resolve) {
        int words = (n + 63) >>> 6;
        long[] t = new long[words];
        long[] f = new long[words];
        root.bulk(n, t, f);
        if ((n & 63) != 0) {
            t[words - 1] &= (1L << (n & 63)) - 1; // an empty and() sets every bit of its word
        }
        java.util.BitSet out = java.util.BitSet.valueOf(t);
        for (int w = 0; w < words; w++) {
            long unknown = ~(t[w] | f[w]);
            if (w == words - 1 && (n & 63) != 0) {
                unknown &= (1L << (n & 63)) - 1;
            }
            while (unknown != 0) {
                int ord = (w << 6) + Long.numberOfTrailingZeros(unknown);
                unknown &= unknown - 1;
                if (resolve.test(ord)) {
                    out.set(ord);
                }
            }
        }
        return out;
    }

    private interface Node {
        int test(int ordinal);

        /** Sets in {@code t} the bits of ordinals of {@code [0, n)} for which the result is TRUE, in {@code f} FALSE. */
        void bulk(int n, long[] t, long[] f);
    }

    /** A field without a column: unknown for every ordinal. */
    private static final Node UNINDEXED = new Node() {
        @Override
        public int test(int ordinal) {
            return UNKNOWN;
        }

        @Override
        public void bulk(int n, long[] t, long[] f) {
            // neither set: every bit unknown
        }
    };

    /** {@code and} ({@code conjunction}) or {@code or} of the children, in Kleene's logic. */
    private record And(Node[] children, boolean conjunction) implements Node {
        @Override
        public int test(int ordinal) {
            int decisive = conjunction ? FALSE : TRUE;
            int result = conjunction ? TRUE : FALSE;
            for (Node n : children) {
                int r = n.test(ordinal);
                if (r == decisive) {
                    return decisive;
                }
                if (r == UNKNOWN) {
                    result = UNKNOWN;
                }
            }
            return result;
        }

        /** and: true where all are true, false where any is false; or: the same with true and false swapped. */
        @Override
        public void bulk(int n, long[] t, long[] f) {
            long[] all = conjunction ? t : f;
            long[] any = conjunction ? f : t;
            java.util.Arrays.fill(all, -1L);
            long[] ct = new long[t.length];
            long[] cf = new long[f.length];
            for (Node child : children) {
                java.util.Arrays.fill(ct, 0);
                java.util.Arrays.fill(cf, 0);
                child.bulk(n, ct, cf);
                long[] childAll = conjunction ? ct : cf;
                long[] childAny = conjunction ? cf : ct;
                for (int w = 0; w < t.length; w++) {
                    all[w] &= childAll[w];
                    any[w] |= childAny[w];
                }
            }
            for (int w = 0; w < t.length; w++) {
                all[w] &= ~any[w]; // no children: and is true, or false
            }
        }
    }

    private record Not(Node child) implements Node {
        @Override
        public int test(int ordinal) {
            int r = child.test(ordinal);
            return r == UNKNOWN ? UNKNOWN : 1 - r;
        }

        @Override
        public void bulk(int n, long[] t, long[] f) {
            child.bulk(n, f, t);
        }
    }

    /** A condition on one field's column: decides on an entry's kind, value and length. */
    private abstract static class Leaf implements Node {
        private static final int CHUNK = 4096;
        final FieldColumn column;

        Leaf(FieldColumn column) {
            this.column = column;
        }

        /** TRUE, FALSE or UNKNOWN for an entry of a known kind (not UNWRITTEN or MIXED, not ABSENT). */
        abstract int decide(int kind, long value, int length);

        /** The result for a field without a value. */
        abstract int absent();

        private int of(int meta, long value) {
            int kind = meta & 0xff;
            if (kind == FieldColumn.UNWRITTEN || kind == FieldColumn.MIXED) {
                return UNKNOWN;
            }
            return kind == FieldColumn.ABSENT ? absent() : decide(kind, value, meta >>> 8);
        }

        @Override
        public int test(int ordinal) {
            int meta = column.meta(ordinal);
            return meta == FieldColumn.UNWRITTEN ? UNKNOWN : of(meta, column.value(ordinal));
        }

        @Override
        public void bulk(int n, long[] t, long[] f) {
            int readable = (int) Math.min(n, column.readable());
            long[] raw = new long[2 * Math.min(CHUNK, Math.max(1, readable))];
            for (int from = 0; from < readable; from += CHUNK) {
                int count = Math.min(CHUNK, readable - from);
                column.read(from, count, raw);
                for (int i = 0; i < count; i++) {
                    int ord = from + i;
                    long value = raw[2 * i];
                    int r = of(FieldColumn.metaOf(ord, value, raw[2 * i + 1]), value);
                    if (r == TRUE) {
                        t[ord >>> 6] |= 1L << ord;
                    } else if (r == FALSE) {
                        f[ord >>> 6] |= 1L << ord;
                    }
                }
            }
        }
    }

    /** A filter's values, in the forms entries hold. */
    private record Values(long[] numbers, boolean hasTrue, boolean hasFalse, long[] shortStrings, int[] shortLengths,
                          long[] longHashes) {
        static Values of(java.util.Set<Object> values) {
            List<Long> numbers = new ArrayList<>();
            List<Long> shorts = new ArrayList<>();
            List<Integer> lengths = new ArrayList<>();
            List<Long> hashes = new ArrayList<>();
            boolean t = false;
            boolean f = false;
            for (Object v : values) {
                FieldIndexes.Entry e = FieldIndexes.scalar(v);
                switch (e.kind()) {
                    case FieldColumn.NUMBER -> numbers.add(e.value());
                    case FieldColumn.BOOLEAN -> {
                        t |= e.value() == 1;
                        f |= e.value() == 0;
                    }
                    case FieldColumn.SHORT_STRING -> {
                        shorts.add(e.value());
                        lengths.add(e.length());
                    }
                    case FieldColumn.LONG_STRING -> hashes.add(e.value());
                    default -> {
                        // a string with an unpaired surrogate: no well-formed value equals it, and the others read
                        // MIXED (the payload decides)
                    }
                }
            }
            return new Values(numbers.stream().mapToLong(Long::longValue).toArray(), t, f,
                    shorts.stream().mapToLong(Long::longValue).toArray(),
                    lengths.stream().mapToInt(Integer::intValue).toArray(),
                    hashes.stream().mapToLong(Long::longValue).toArray());
        }

        /** TRUE or FALSE: whether a value of kind {@code kind} is among these; UNKNOWN for a long string's hash match. */
        int contains(int kind, long value, int length) {
            switch (kind) {
                case FieldColumn.NUMBER -> {
                    return among(numbers, value) ? TRUE : FALSE;
                }
                case FieldColumn.BOOLEAN -> {
                    return (value == 1 ? hasTrue : hasFalse) ? TRUE : FALSE;
                }
                case FieldColumn.SHORT_STRING -> {
                    for (int i = 0; i < shortStrings.length; i++) {
                        if (shortStrings[i] == value && shortLengths[i] == length) {
                            return TRUE;
                        }
                    }
                    return FALSE;
                }
                case FieldColumn.LONG_STRING -> {
                    return among(longHashes, value) ? UNKNOWN : FALSE; // equal hashes: the payload's bytes decide
                }
                default -> {
                    return UNKNOWN;
                }
            }
        }

        private static boolean among(long[] set, long value) {
            for (long v : set) {
                if (v == value) {
                    return true;
                }
            }
            return false;
        }
    }

    /** {@code anyOf} (the value is among the filter's) or, {@code negated}, {@code noneOf} (it is not). */
    private static final class Member extends Leaf {
        private final Values values;
        private final boolean negated;

        Member(FieldColumn column, Values values, boolean negated) {
            super(column);
            this.values = values;
            this.negated = negated;
        }

        @Override
        int absent() {
            return FALSE; // no value: neither among the values nor outside them
        }

        @Override
        int decide(int kind, long value, int length) {
            int r = values.contains(kind, value, length);
            return r == UNKNOWN || !negated ? r : 1 - r;
        }
    }

    private static final class Range extends Leaf {
        private final double lower;
        private final double upper;
        private final boolean inclusiveLower;
        private final boolean inclusiveUpper;

        Range(FieldColumn column, PayloadFilter.Range range) {
            super(column);
            this.lower = range.lower() == null ? Double.NEGATIVE_INFINITY : range.lower();
            this.upper = range.upper() == null ? Double.POSITIVE_INFINITY : range.upper();
            // an open bound admits every number, infinities included (JSON has none): inclusive
            this.inclusiveLower = range.lower() == null || range.inclusiveLower();
            this.inclusiveUpper = range.upper() == null || range.inclusiveUpper();
        }

        @Override
        int absent() {
            return FALSE;
        }

        @Override
        int decide(int kind, long value, int length) {
            if (kind != FieldColumn.NUMBER) {
                return FALSE;
            }
            double d = Double.longBitsToDouble(value);
            return (inclusiveLower ? d >= lower : d > lower) && (inclusiveUpper ? d <= upper : d < upper) ? TRUE : FALSE;
        }
    }
}
