package io.mmgraph.format;

import java.util.List;

/**
 * What a full verification found. {@link #ok()} when no problem was found; every problem names its file and
 * where in it the damage is.
 *
 * @param committedCount the commit that was verified
 * @param bytesChecked   bytes read and checked
 * @param problems       damage found, at most {@link IndexVerifier#MAX_PROBLEMS} listed
 * @param problemCount   all damage found, including what the list left out
 */
public record VerifyReport(long committedCount, long bytesChecked, List<String> problems, long problemCount) {
    public VerifyReport {
        problems = List.copyOf(problems);
    }

    /** This report with {@code more} problems found in {@code bytes} more bytes (the list kept to its limit). */
    public VerifyReport plus(long bytes, List<String> more) {
        java.util.List<String> all = new java.util.ArrayList<>(problems);
        for (String p : more) {
            if (all.size() < IndexVerifier.MAX_PROBLEMS) {
                all.add(p);
            }
        }
        return new VerifyReport(committedCount, bytesChecked + bytes, all, problemCount + more.size());
    }

    public boolean ok() {
        return problemCount == 0;
    }
}
