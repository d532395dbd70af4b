package io.mmgraph.store;

/**
 * How much of a range of mapped bytes is resident in memory (in the page cache, for a file), as {@code mincore}
 * reports it page by page.
 *
 * @param bytes         the bytes asked about
 * @param residentBytes the bytes of those on resident pages (whole pages counted, capped at {@code bytes}), or -1
 *                      where the platform cannot say
 */
public record Residency(long bytes, long residentBytes) {
    public static final Residency NONE = new Residency(0, 0);

    public boolean known() {
        return residentBytes >= 0;
    }

    /** The resident share in [0, 1], or NaN where unknown or empty. */
    public double fraction() {
        return known() && bytes > 0 ? (double) residentBytes / bytes : Double.NaN;
    }

    public Residency plus(Residency other) {
        return new Residency(bytes + other.bytes,
                known() && other.known() ? residentBytes + other.residentBytes : -1);
    }
}
