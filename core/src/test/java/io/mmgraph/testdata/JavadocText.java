package io.mmgraph.testdata;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the javadoc comments of a Java source file into paragraphs of plain text: the main description of each
 * comment (block tags such as {@code @param} dropped), inline tags reduced to their words, HTML tags and code blocks
 * removed. It is the fallback corpus for machines without man pages, so, as with {@link RoffText}, losing an odd
 * word is fine: {@link Passages} filters the result again.
 */
final class JavadocText {
    private JavadocText() {}

    private static final Pattern COMMENT = Pattern.compile("/\\*\\*(.*?)\\*/", Pattern.DOTALL);
    private static final Pattern LINE_PREFIX = Pattern.compile("(?m)^[ \\t]*\\*?[ \\t]?");
    /** A block tag at the start of a line ends the main description. */
    private static final Pattern BLOCK_TAG = Pattern.compile("(?m)^\\s*@[a-zA-Z]");
    /** Elements whose content is a code block, a table or a heading: dropped whole. */
    private static final Pattern DROPPED_ELEMENTS = Pattern.compile(
            "(?is)<(pre|table|h[1-6]|blockquote|caption)\\b.*?</\\1\\s*>");
    private static final Pattern PARAMETER_LIST = Pattern.compile("\\([^)]*\\)");
    /** Tags that start a new block, i.e. a paragraph break. */
    private static final Pattern BLOCK_HTML =
            Pattern.compile("(?i)</?(p|li|ul|ol|dl|dt|dd|div|br|hr|section)\\b[^>]*>");
    private static final Pattern ANY_HTML = Pattern.compile("<[^>]*>");
    private static final Pattern BLANK_LINE = Pattern.compile("\\n\\s*\\n");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    /** The paragraphs of running text in all javadoc comments of one source file, in file order. */
    static List<String> paragraphs(String javaSource) {
        List<String> out = new ArrayList<>();
        Matcher m = COMMENT.matcher(javaSource);
        while (m.find()) {
            String body = LINE_PREFIX.matcher(m.group(1)).replaceAll("");
            Matcher tag = BLOCK_TAG.matcher(body);
            if (tag.find()) {
                body = body.substring(0, tag.start());
            }
            body = inlineTags(body);
            body = DROPPED_ELEMENTS.matcher(body).replaceAll("\n\n");
            body = BLOCK_HTML.matcher(body).replaceAll("\n\n");
            body = entities(ANY_HTML.matcher(body).replaceAll(""));
            for (String p : BLANK_LINE.split(body)) {
                String text = WHITESPACE.matcher(p).replaceAll(" ").strip();
                if (!text.isEmpty()) {
                    out.add(text);
                }
            }
        }
        return out;
    }

    /**
     * Replaces {@code {@code x}}, {@code {@link A#b label}} and the like by their words, matching braces so that a
     * {@code {@snippet}} body with braces of its own is dropped whole.
     */
    static String inlineTags(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            if (!s.startsWith("{@", i)) {
                out.append(s.charAt(i++));
                continue;
            }
            int depth = 0;
            int end = i;
            for (; end < s.length(); end++) {
                char c = s.charAt(end);
                if (c == '{') {
                    depth++;
                } else if (c == '}' && --depth == 0) {
                    break;
                }
            }
            String inner = s.substring(i + 2, Math.min(end, s.length())).strip();
            String[] nameAndArg = WHITESPACE.split(inner, 2); // "{@code" may be followed by a line break
            String name = nameAndArg[0];
            String arg = nameAndArg.length < 2 ? "" : nameAndArg[1].strip();
            out.append(switch (name) {
                case "code", "literal", "summary", "systemProperty" -> arg;
                case "link", "linkplain", "value" -> linkText(arg);
                case "index" -> arg.startsWith("\"") ? arg.replaceAll("^\"([^\"]*)\".*", "$1") : arg.split(" ")[0];
                default -> ""; // snippet, inheritDoc, docRoot...
            });
            i = end + 1;
        }
        return out.toString();
    }

    /** {@code A#b(int) label} reads as "label"; without a label as "A.b" (or "b" for {@code #b}). */
    private static String linkText(String arg) {
        // the label starts at the first space outside the parameter list: "#of(int, int) a pair"
        int space = PARAMETER_LIST.matcher(arg).replaceAll(m -> "_".repeat(m.group().length())).indexOf(' ');
        if (space >= 0) {
            return arg.substring(space + 1).strip();
        }
        String ref = arg.replaceAll("\\(.*\\)", "");
        return ref.startsWith("#") ? ref.substring(1) : ref.replace('#', '.');
    }

    private static String entities(String s) {
        return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&nbsp;", " ")
                .replace("&#39;", "'").replace("&mdash;", "-").replace("&ndash;", "-").replace("&amp;", "&");
    }
}
