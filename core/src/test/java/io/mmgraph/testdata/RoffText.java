package io.mmgraph.testdata;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns a man page's roff source (the man or mdoc macro package) into paragraphs of plain text. It is a test-data
 * helper, not a formatter: it keeps running prose, drops what is not prose (comments, macro definitions, no-fill
 * displays, tables, option tags) and accepts losing an odd word, since {@link Passages} filters the result again.
 */
final class RoffText {
    private RoffText() {}

    /** Man-package macros whose arguments are text set in alternating fonts, written with no space between them. */
    private static final Set<String> ALTERNATING = Set.of("BI", "BR", "IB", "IR", "RB", "RI");
    /** Man-package macros whose arguments are text joined by spaces. */
    private static final Set<String> INLINE = Set.of("B", "I", "SM", "SB", "UE", "ME");
    /** Man-package macros whose argument is a URL or mail address: dropped, since a URL is not prose. */
    private static final Set<String> LINKS = Set.of("UR", "MT");
    /** Requests that open a region whose lines are code, examples or tables, with the request that closes it. */
    private static final Map<String, String> SKIPPED_REGIONS = Map.of(
            "nf", "fi", "EX", "EE", "TS", "TE", "Bd", "Ed", "de", "..", "ig", "..", "eq", "en", "EQ", "EN",
            "PS", "PE");
    /** mdoc macros that are whole displays or list structure rather than text: they end the current paragraph. */
    private static final Set<String> MDOC_BREAKS = Set.of("Pp", "Lp", "Bl", "El", "D1", "Dl", "Rs", "Re", "Dd", "Dt",
            "Os", "Nd");
    /** Sections whose text is a synopsis, a list of names or a bibliography rather than prose. */
    private static final Set<String> SKIPPED_SECTIONS = Set.of("NAME", "SYNOPSIS", "SEE ALSO", "AUTHOR", "AUTHORS",
            "COPYRIGHT", "EXAMPLE", "EXAMPLES", "COLOPHON");
    private static final Pattern LINE_BREAK = Pattern.compile("\r?\n");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    /** mdoc's callable macros look like {@code Ar}, {@code Fl}, {@code Xr}: a capital then one or two lowercase. */
    private static final Pattern MDOC_MACRO = Pattern.compile("[A-Z][a-z]{1,2}");
    /** The mdoc macros that also appear nested, as words inside another macro's arguments. */
    private static final Pattern MDOC_NESTED = Pattern.compile("Ar|Fl|Cm|Ns|Op|Oo|Oc|Pq|Dq|Qq|Sq|Ql|Li|Em|Sy|Pa|Va|Ev"
            + "|Xr|Nm|No|Ic|Fn|Fa|Ft|Sm|Ux|Aq|Bq|Brq|Dv|Er|Tn|Xo|Xc|Ta");
    /** Named characters seen in prose; everything else named is dropped. */
    private static final Map<String, String> CHARACTERS = Map.ofEntries(
            Map.entry("aq", "'"), Map.entry("cq", "'"), Map.entry("oq", "'"), Map.entry("lq", "\""),
            Map.entry("rq", "\""), Map.entry("dq", "\""), Map.entry("em", "-"), Map.entry("en", "-"),
            Map.entry("hy", "-"), Map.entry("mi", "-"), Map.entry("bu", ""), Map.entry("co", "(C)"),
            Map.entry("rg", "(R)"), Map.entry("tm", "(TM)"), Map.entry("ga", "`"), Map.entry("ti", "~"),
            Map.entry("ha", "^"), Map.entry("rs", "\\"), Map.entry("ba", "|"), Map.entry("R", "(R)"),
            Map.entry("Tm", "(TM)"), Map.entry("Lq", "\""), Map.entry("Rq", "\""),
            // pod2man's quote strings (\*(L" and \*(R"); its \*(C` and \*(C' around code are empty in nroff mode
            Map.entry("L\"", "\""), Map.entry("R\"", "\""));

    /** The paragraphs of running text of one man page, in page order. */
    static List<String> paragraphs(String roff) {
        return new Parser().parse(roff);
    }

    private static final class Parser {
        private final List<String> paragraphs = new ArrayList<>();
        private final StringBuilder current = new StringBuilder();
        private String skipUntil; // the request that ends the region being skipped, or null
        private boolean skipSection;
        private boolean nextLineIsTag; // after .TP the next text line is an option tag, not prose
        private String mdocName = "";

        List<String> parse(String roff) {
            for (String raw : LINE_BREAK.split(roff, -1)) {
                line(raw);
            }
            endParagraph();
            return paragraphs;
        }

        private void line(String raw) {
            boolean control = raw.startsWith(".") || raw.startsWith("'");
            String request = control ? requestName(raw) : "";
            if (skipUntil != null) {
                if (control && request.equals(skipUntil)) {
                    skipUntil = null;
                }
                return;
            }
            if (!control) {
                text(unescape(raw));
                return;
            }
            if (request.isEmpty() || request.startsWith("\\\"")) {
                return; // a lone dot or a comment line
            }
            String close = SKIPPED_REGIONS.get(request);
            if (close != null) {
                endParagraph();
                skipUntil = close;
                return;
            }
            String args = raw.substring(Math.min(raw.length(), raw.indexOf(request) + request.length()));
            switch (request) {
                case "SH", "SS", "Sh", "Ss" -> {
                    endParagraph();
                    String title = String.join(" ", arguments(unescapeArguments(args))).toUpperCase(Locale.ROOT);
                    if (request.equals("SH") || request.equals("Sh")) {
                        skipSection = SKIPPED_SECTIONS.contains(title.trim());
                    }
                }
                case "TP", "TQ" -> {
                    endParagraph();
                    nextLineIsTag = true;
                }
                case "It" -> endParagraph(); // the item's own arguments are its tag, which is not prose
                case "Nm" -> {
                    List<String> a = mdocWords(args);
                    if (mdocName.isEmpty() && !a.isEmpty()) {
                        mdocName = a.getFirst();
                    }
                    text(a.isEmpty() ? mdocName : String.join(" ", a));
                }
                default -> {
                    if (ALTERNATING.contains(request)) {
                        text(String.join("", arguments(unescapeArguments(args))));
                    } else if (LINKS.contains(request)) {
                        // the URL goes; the text between .UR and .UE stays
                    } else if (INLINE.contains(request)) {
                        text(String.join(" ", arguments(unescapeArguments(args))));
                    } else if (MDOC_BREAKS.contains(request)) {
                        endParagraph();
                    } else if (isMdocInline(request)) {
                        text(mdocText(request, args));
                    } else {
                        endParagraph(); // .PP, .IP, .RS, .br, .sp and anything unknown
                    }
                }
            }
        }

        private void text(String s) {
            if (skipSection) {
                return;
            }
            if (nextLineIsTag) {
                nextLineIsTag = false;
                endParagraph();
                return; // the tag line (e.g. "-a, --all") goes; the description after it is a new paragraph
            }
            if (s.isBlank()) {
                endParagraph(); // a blank text line is a paragraph break in roff
                return;
            }
            if (!current.isEmpty() && !Character.isWhitespace(current.charAt(current.length() - 1))) {
                current.append(' ');
            }
            current.append(s.strip());
        }

        private void endParagraph() {
            String p = WHITESPACE.matcher(current).replaceAll(" ").strip();
            if (!p.isEmpty()) {
                paragraphs.add(p);
            }
            current.setLength(0);
        }

        private String mdocText(String macro, String args) {
            List<String> words = mdocWords(args);
            if (macro.equals("Ux")) {
                words.addFirst("UNIX");
            }
            if (macro.equals("Xr") && words.size() >= 2) {
                return words.get(0) + "(" + words.get(1) + ")" + String.join("", words.subList(2, words.size()));
            }
            StringBuilder out = new StringBuilder();
            for (String w : words) {
                boolean punctuation = w.length() == 1 && ".,;:)]?!".indexOf(w.charAt(0)) >= 0;
                if (!out.isEmpty() && !punctuation && !out.toString().endsWith("(")) {
                    out.append(' ');
                }
                out.append(w);
            }
            return (macro.equals("Fl") ? "-" : "") + out;
        }
    }

    /** The macro or request name of a control line: {@code .B foo} gives {@code B}, {@code .\"} gives {@code \"}. */
    static String requestName(String line) {
        int i = 1;
        while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
            i++;
        }
        if (line.startsWith("\\\"", i)) {
            return "\\\"";
        }
        int start = i;
        while (i < line.length() && !Character.isWhitespace(line.charAt(i))) {
            i++;
        }
        return line.substring(start, i);
    }

    private static boolean isMdocInline(String request) {
        return MDOC_MACRO.matcher(request).matches();
    }

    /** The words of an mdoc line with the names of nested callable macros taken out. */
    private static List<String> mdocWords(String args) {
        List<String> words = new ArrayList<>();
        for (String w : arguments(unescapeArguments(args))) {
            if (!MDOC_NESTED.matcher(w).matches()) {
                words.add(w);
            }
        }
        return words;
    }

    /** Splits macro arguments at spaces, keeping double-quoted arguments whole (quotes removed). */
    static List<String> arguments(String args) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < args.length()) {
            while (i < args.length() && args.charAt(i) == ' ') {
                i++;
            }
            if (i >= args.length()) {
                break;
            }
            int end;
            if (args.charAt(i) == '"') {
                end = args.indexOf('"', i + 1);
                end = end < 0 ? args.length() : end;
                out.add(args.substring(i + 1, end));
                i = end + 1;
            } else {
                end = args.indexOf(' ', i);
                end = end < 0 ? args.length() : end;
                out.add(args.substring(i, end));
                i = end;
            }
        }
        return out;
    }

    /** Macro arguments keep spaces that {@code \ } escapes so {@link #arguments} does not split them. */
    private static String unescapeArguments(String args) {
        return unescape(args.replace("\\ ", "\u00A0")).replace('\u00A0', ' ');
    }

    /** Replaces roff escapes ({@code \fB}, {@code \-}, {@code \(em}, {@code \*(lq}, {@code \s-1}...) by plain text. */
    static String unescape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 >= s.length()) {
                out.append(c);
                i++;
                continue;
            }
            char e = s.charAt(i + 1);
            i += 2;
            switch (e) {
                case '"', '#' -> i = s.length(); // comment to end of line
                case '-' -> out.append('-');
                case 'e', '\\' -> out.append('\\');
                case ' ', '~', '0' -> out.append(' ');
                case '&', '|', '^', '/', ',', ':', '%', 'c', ')', 'd', 'u', 'p', 'r', 't' -> { }
                case '\'' -> out.append('\'');
                case '`' -> out.append('`');
                case '.' -> out.append('.');
                case '(' -> {
                    String name = s.substring(i, Math.min(i + 2, s.length()));
                    out.append(CHARACTERS.getOrDefault(name, ""));
                    i += 2;
                }
                case '[' -> {
                    int end = s.indexOf(']', i);
                    end = end < 0 ? s.length() : end;
                    out.append(CHARACTERS.getOrDefault(s.substring(i, end), ""));
                    i = end + 1;
                }
                case '*' -> { // string interpolation: \*x, \*(xx or \*[name]
                    String name;
                    if (i < s.length() && s.charAt(i) == '(') {
                        name = s.substring(Math.min(i + 1, s.length()), Math.min(i + 3, s.length()));
                        i += 3;
                    } else if (i < s.length() && s.charAt(i) == '[') {
                        int end = s.indexOf(']', i);
                        end = end < 0 ? s.length() : end;
                        name = s.substring(i + 1, end);
                        i = end + 1;
                    } else {
                        name = i < s.length() ? s.substring(i, i + 1) : "";
                        i++;
                    }
                    out.append(CHARACTERS.getOrDefault(name, ""));
                }
                case 'f', 'n', 'F', 'g', 'k', 'm', 'M', 'V', 'Y' -> i = skipName(s, i); // font, register...
                case 's' -> { // size: \s-1, \s+2, \s0, \s(12, \s[12]
                    if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                        i++;
                    }
                    if (i < s.length() && (s.charAt(i) == '(' || s.charAt(i) == '[')) {
                        i = skipName(s, i);
                    } else {
                        while (i < s.length() && Character.isDigit(s.charAt(i))) {
                            i++;
                        }
                    }
                }
                case 'h', 'v', 'w', 'l', 'L', 'o', 'X', 'D', 'b', 'x', 'Z', 'A', 'B', 'C', 'N', 'R', 'S', 'H' -> {
                    // escapes with a delimited argument: \h'1n', \w'text', \X'...'
                    if (i < s.length()) {
                        char delimiter = s.charAt(i);
                        int end = s.indexOf(delimiter, i + 1);
                        i = end < 0 ? s.length() : end + 1;
                    }
                }
                default -> out.append(e);
            }
        }
        return out.toString();
    }

    /** Skips a one-character, {@code (xx} or {@code [name]} escape argument starting at {@code i}. */
    private static int skipName(String s, int i) {
        if (i >= s.length()) {
            return i;
        }
        if (s.charAt(i) == '(') {
            return Math.min(i + 3, s.length());
        }
        if (s.charAt(i) == '[') {
            int end = s.indexOf(']', i);
            return end < 0 ? s.length() : end + 1;
        }
        return i + 1;
    }
}
