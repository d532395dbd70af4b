package io.mmgraph.testdata;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A collection of documents on this machine cut into prose passages ({@link Passages}). Which passages come back
 * depends only on the seed and the documents present: the document list is sorted, then shuffled with the seed,
 * then interleaved by {@linkplain #family family} so that a sample spans many topics. (This machine has 16,631
 * generated {@code gcloud_*} man pages out of 19,778; in plain shuffled order they would give 84% of every sample,
 * as near-copies of one another.)
 */
abstract sealed class PassageCorpus implements AutoCloseable permits ManPageCorpus, JavadocCorpus {
    /**
     * At most this many passages come from one document, so that a sample spans many topics and one long page
     * (bash, perlfunc, String.java) does not fill it; consecutive passages of one document still give each topic a
     * few near neighbours, as real text collections have.
     */
    static final int MAX_PASSAGES_PER_DOCUMENT = 8;

    /** Short stable name, part of the embedding cache key. */
    abstract String name();

    /** Stable document ids (e.g. paths); empty when the source is missing on this machine. */
    abstract List<String> documents() throws IOException;

    /** The plain-text paragraphs of one document. */
    abstract List<String> paragraphs(String document) throws IOException;

    /** Documents of one family (one program's pages, one package) come one at a time, in turn with other families. */
    abstract String family(String document);

    /**
     * Up to {@code count} distinct passages, fewer when the corpus runs out. Documents that cannot be read are
     * skipped; passages that differ only in case or spacing count as one.
     */
    final List<String> passages(int count, long seed) throws IOException {
        List<String> shuffled = new ArrayList<>(documents());
        Collections.sort(shuffled);
        Collections.shuffle(shuffled, new Random(seed)); // the algorithms of shuffle and Random are specified
        List<String> out = new ArrayList<>(count);
        Set<String> seen = new HashSet<>();
        for (String document : interleaveFamilies(shuffled)) {
            if (out.size() >= count) {
                break;
            }
            List<String> paragraphs;
            try {
                paragraphs = paragraphs(document);
            } catch (IOException | UncheckedIOException e) {
                continue; // a corrupt or unreadable page: the rest of the corpus is enough
            }
            int taken = 0;
            for (int p = 0; p < paragraphs.size() && taken < MAX_PASSAGES_PER_DOCUMENT && out.size() < count; p++) {
                for (String passage : Passages.of(paragraphs.get(p))) {
                    String key = Passages.WHITESPACE.matcher(passage.toLowerCase(Locale.ROOT)).replaceAll(" ");
                    if (taken < MAX_PASSAGES_PER_DOCUMENT && out.size() < count && seen.add(key)) {
                        out.add(passage);
                        taken++;
                    }
                }
            }
        }
        return out;
    }

    /** Round robin over families, in the order each family first appears; within a family, in the given order. */
    private List<String> interleaveFamilies(List<String> documents) {
        Map<String, ArrayDeque<String>> byFamily = new LinkedHashMap<>();
        for (String document : documents) {
            byFamily.computeIfAbsent(family(document), f -> new ArrayDeque<>()).add(document);
        }
        List<String> out = new ArrayList<>(documents.size());
        while (!byFamily.isEmpty()) {
            Iterator<ArrayDeque<String>> families = byFamily.values().iterator();
            while (families.hasNext()) {
                ArrayDeque<String> family = families.next();
                out.add(family.poll());
                if (family.isEmpty()) {
                    families.remove();
                }
            }
        }
        return out;
    }

    @Override
    public void close() throws IOException {}
}
