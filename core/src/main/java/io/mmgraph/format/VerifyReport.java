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

    public boolean ok() {
        return problemCount == 0;
    }
}
