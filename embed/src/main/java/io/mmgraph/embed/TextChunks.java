package io.mmgraph.embed;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a document into chunks the embedding model sees whole: paragraphs (blank-line separated) joined while they fit
 * in {@code maxChars}, a paragraph longer than that cut at sentence ends, else at spaces, else hard. Whitespace-only
 * chunks are dropped.
 */
public final class TextChunks {
    /** About 200 words: within all-MiniLM-L6-v2's 256 word pieces for English prose. */
    public static final int DEFAULT_MAX_CHARS = 1000;

    private TextChunks() {}

    public static List<String> split(String text, int maxChars) {
        if (maxChars < 16) {
            throw new IllegalArgumentException("maxChars " + maxChars + " below 16");
        }
        List<String> chunks = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1); // a byte-order mark is no text
        }
        for (String paragraph : text.split("\\R\\s*\\R")) {
            String p = paragraph.strip().replaceAll("\\s+", " ");
            if (p.isEmpty()) {
                continue;
            }
            if (!current.isEmpty() && current.length() + 1 + p.length() > maxChars) {
                chunks.add(current.toString());
                current.setLength(0);
            }
            while (p.length() > maxChars) {
                int cut = cutPoint(p, maxChars);
                if (!current.isEmpty()) {
                    chunks.add(current.toString());
                    current.setLength(0);
                }
                chunks.add(p.substring(0, cut).strip());
                p = p.substring(cut).strip();
            }
            if (!p.isEmpty()) {
                current.append(current.isEmpty() ? "" : " ").append(p);
            }
        }
        if (!current.isEmpty()) {
            chunks.add(current.toString());
        }
        return chunks;
    }

    /** Where to cut {@code p} at or before {@code max}: after a sentence end, else at a space, else at max. */
    private static int cutPoint(String p, int max) {
        for (int i = max; i > max / 2; i--) {
            char c = p.charAt(i - 1);
            if ((c == '.' || c == '!' || c == '?') && (i == p.length() || p.charAt(i) == ' ')
                    || c == '\u3002' || c == '\uFF01' || c == '\uFF1F') { // and the CJK sentence ends
                return i;
            }
        }
        int space = p.lastIndexOf(' ', max);
        int cut = space > max / 2 ? space : max;
        return Character.isHighSurrogate(p.charAt(cut - 1)) ? cut - 1 : cut; // never between a surrogate pair
    }
}
