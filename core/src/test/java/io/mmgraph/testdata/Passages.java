package io.mmgraph.testdata;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Cuts paragraphs of plain text into passages of one to three whole sentences and {@value #MIN_WORDS}–{@value
 * #MAX_WORDS} words, and keeps only those that read as English prose. The length window matches what sentence
 * embedding models are trained on (short passages, well under the model's 256-token window), and the prose filter
 * keeps option tables, code and lists out of a corpus meant to look like real text search data.
 */
final class Passages {
    private Passages() {}

    static final int MIN_WORDS = 20;
    static final int MAX_WORDS = 60;
    static final int MAX_SENTENCES = 3;

    /** Words ending in a period that do not end a sentence. */
    private static final Set<String> ABBREVIATIONS = Set.of("e.g.", "i.e.", "etc.", "vs.", "cf.", "mr.", "mrs.",
            "dr.", "no.", "st.", "approx.", "resp.", "viz.", "al.", "fig.", "sec.", "vol.", "ch.", "ed.");
    /**
     * Very common English function words: a passage with a few of them is a sentence, whereas an option list or a
     * code fragment of the same length has almost none.
     */
    private static final Set<String> FUNCTION_WORDS = Set.of("the", "a", "an", "is", "are", "was", "be", "been",
            "of", "to", "and", "in", "for", "this", "that", "it", "by", "with", "if", "or", "on", "as", "not", "can",
            "will", "which", "when", "from", "at", "any", "all", "its", "may", "must", "should", "has", "have");

    // Compiled once: corpus extraction runs these on every token of thousands of pages.
    static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Pattern TRAILING_CLOSERS = Pattern.compile("[\"')\\]]+$");
    private static final Pattern LEADING_OPENERS = Pattern.compile("^[\"'(\\[]+");
    private static final Pattern INITIAL = Pattern.compile("[A-Za-z]\\.");
    private static final Pattern DOTTED = Pattern.compile(".*\\.[A-Za-z0-9]+\\.");
    private static final Pattern PLAIN_WORD = Pattern.compile("[\"'(\\[]?[A-Za-z][A-Za-z'-]*[.,;:!?\"')\\]]{0,3}");
    private static final Pattern NON_LETTERS = Pattern.compile("[^a-z]");

    /** The passages of one paragraph that pass {@link #isProse}, in order. */
    static List<String> of(String paragraph) {
        List<String> out = new ArrayList<>();
        List<String> window = new ArrayList<>();
        int words = 0;
        for (String sentence : sentences(paragraph)) {
            int w = wordCount(sentence);
            if (w > MAX_WORDS) { // a run-on "sentence" is usually a flattened list: nothing spans it
                window.clear();
                words = 0;
                continue;
            }
            if (words + w > MAX_WORDS || window.size() == MAX_SENTENCES) {
                // the window is still short of MIN_WORDS (else it was emitted): slide it forward
                while (!window.isEmpty() && (words + w > MAX_WORDS || window.size() == MAX_SENTENCES)) {
                    words -= wordCount(window.removeFirst());
                }
            }
            window.add(sentence);
            words += w;
            if (words >= MIN_WORDS) {
                String passage = String.join(" ", window);
                if (isProse(passage)) {
                    out.add(passage);
                }
                window.clear();
                words = 0;
            }
        }
        return out;
    }

    /** Splits at sentence ends: {@code .!?} (maybe then a closing quote or bracket), a space, then a capital. */
    static List<String> sentences(String paragraph) {
        String[] tokens = WHITESPACE.split(paragraph.strip());
        List<String> out = new ArrayList<>();
        StringBuilder sentence = new StringBuilder();
        for (int i = 0; i < tokens.length; i++) {
            String t = tokens[i];
            if (t.isEmpty()) {
                continue;
            }
            if (!sentence.isEmpty()) {
                sentence.append(' ');
            }
            sentence.append(t);
            boolean last = i == tokens.length - 1;
            if (last || (endsSentence(t) && startsSentence(tokens[i + 1]))) {
                out.add(sentence.toString());
                sentence.setLength(0);
            }
        }
        return out;
    }

    private static boolean endsSentence(String token) {
        String t = TRAILING_CLOSERS.matcher(token).replaceAll("");
        if (t.isEmpty() || ".!?".indexOf(t.charAt(t.length() - 1)) < 0) {
            return false;
        }
        String lower = t.toLowerCase(Locale.ROOT);
        // "e.g.", a lone initial ("J."), a dotted name ("a.out.") or a version ("v1.2.") does not end a sentence
        return !ABBREVIATIONS.contains(lower) && !INITIAL.matcher(t).matches() && !DOTTED.matcher(t).matches();
    }

    private static boolean startsSentence(String token) {
        String t = LEADING_OPENERS.matcher(token).replaceAll("");
        return !t.isEmpty() && Character.isUpperCase(t.charAt(0));
    }

    static int wordCount(String s) {
        String t = s.strip();
        return t.isEmpty() ? 0 : WHITESPACE.split(t).length;
    }

    /**
     * Whether a passage reads as prose: starts with a capital, ends a sentence, is mostly letters and plain words,
     * and has enough function words to be sentences rather than a list of names or options.
     */
    static boolean isProse(String passage) {
        if (passage.indexOf('\uFFFD') >= 0 || !startsSentence(passage)) {
            return false;
        }
        String end = TRAILING_CLOSERS.matcher(passage).replaceAll("");
        if (end.isEmpty() || ".!?".indexOf(end.charAt(end.length() - 1)) < 0) {
            return false;
        }
        String[] tokens = WHITESPACE.split(passage);
        if (tokens.length < 5) {
            return false;
        }
        int letters = 0;
        int visible = 0;
        for (int i = 0; i < passage.length(); i++) {
            char c = passage.charAt(i);
            if (!Character.isWhitespace(c)) {
                visible++;
                if (Character.isLetter(c)) {
                    letters++;
                }
            }
        }
        int plainWords = 0;
        int functionWords = 0;
        for (String t : tokens) {
            if (PLAIN_WORD.matcher(t).matches()) {
                plainWords++;
            }
            if (FUNCTION_WORDS.contains(NON_LETTERS.matcher(t.toLowerCase(Locale.ROOT)).replaceAll(""))) {
                functionWords++;
            }
        }
        return letters >= 0.8 * visible && plainWords >= 0.8 * tokens.length && functionWords >= 0.15 * tokens.length;
    }
}
