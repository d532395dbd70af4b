package io.mmgraph.testdata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mmgraph.testdata.SentenceEmbeddings.Selection;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The text side of {@link SentenceEmbeddings}: roff and javadoc to prose, passages, and the corpus sample. */
class CorpusTest {

    @Test
    void roffBecomesPlainParagraphsWithoutTagsTablesOrSynopsis() {
        String page = String.join("\n",
                ".\\\" a comment line",
                ".TH FIND 1",
                ".SH NAME",
                "find \\- search for files",
                ".SH DESCRIPTION",
                "This manual page documents the GNU version of",
                ".BR find .",
                "It walks the tree rooted at each \\fIstarting\\-point\\fR \\(em left to right. \\\" trailing comment",
                ".PP",
                "Quote with \\*(lqdouble\\*(rq marks and \\s-1SMALL\\s0 caps\\&.",
                ".TP",
                "\\fB\\-a\\fR, \\fB\\-\\-all\\fR",
                "do not ignore entries starting with a dot.",
                ".nf",
                "find / -name core",
                ".fi",
                ".IP",
                "Example text after a display.");
        assertEquals(List.of(
                "This manual page documents the GNU version of find. It walks the tree rooted at each starting-point"
                        + " - left to right.",
                "Quote with \"double\" marks and SMALL caps.",
                "do not ignore entries starting with a dot.",
                "Example text after a display."), RoffText.paragraphs(page));
    }

    @Test
    void mdocMacrosBecomeWords() {
        String page = String.join("\n",
                ".Dd $Mdocdate: November 28 2022 $",
                ".Sh NAME",
                ".Nm ssh",
                ".Nd OpenSSH remote login client",
                ".Sh DESCRIPTION",
                ".Nm",
                "connects to the given",
                ".Ar destination ,",
                "see",
                ".Xr ssh_config 5 .",
                ".Bl -tag -width Ds",
                ".It Fl 4",
                "Forces the use of IPv4 addresses only.",
                ".El");
        assertEquals(List.of("ssh connects to the given destination, see ssh_config(5).",
                "Forces the use of IPv4 addresses only."), RoffText.paragraphs(page));
    }

    @Test
    void javadocBecomesPlainParagraphsWithoutBlockTagsOrCode() {
        String source = String.join("\n",
                "/**",
                " * Returns the {@code int} value at the given index, like {@link List#get(int) get}.",
                " * See {@link java.util.Map#entry(Object, Object)} for <em>pairs</em>.",
                " *",
                " * <pre>{@code",
                " *   int x = list.get(0);",
                " * }</pre>",
                " * <p>Throws when the index is out of range &amp; negative.",
                " * @param index the index",
                " * @return the value",
                " */",
                "int get(int index);");
        assertEquals(List.of(
                "Returns the int value at the given index, like get. See java.util.Map.entry for pairs.",
                "Throws when the index is out of range & negative."), JavadocText.paragraphs(source));
    }

    @Test
    void passagesAreWholeSentencesWithinTheWordWindow() {
        String s1 = "The index keeps its graph in a memory-mapped file so that opening it costs almost nothing.";
        String s2 = "Searches read neighbour lists straight from the page cache, e.g. after a restart.";
        String s3 = "A writer appends new nodes and links them to their nearest neighbours.";
        assertEquals(List.of(s1, s2, s3), Passages.sentences(s1 + " " + s2 + " " + s3), "no split after e.g.");
        // 16 + 13 words make a passage; the 12 words left over are too few for another
        assertEquals(List.of(s1 + " " + s2), Passages.of(s1 + " " + s2 + " " + s3));
        String runOn = "Words " + "and more ".repeat(35) + "end.";
        assertEquals(List.of(s1 + " " + s2), Passages.of(runOn + " " + s1 + " " + s2), "over 60 words: dropped");
    }

    @Test
    void optionListsAndCodeAreNotProse() {
        assertTrue(Passages.isProse("The index keeps its graph in a memory-mapped file so that opening it costs"
                + " almost nothing at all."));
        assertFalse(Passages.isProse("-a, --all do not ignore entries starting with . and list all of them."));
        assertFalse(Passages.isProse("Options: -H -L -P -D debugopts -Olevel starting-point expression -print"
                + " -print0 -exec -ok -delete -prune -quit."));
        assertFalse(Passages.isProse("If (x == null) { return y.get(0); } else { x.put(k, v); } for (int i = 0;"
                + " i < n; i++) z[i] = 0."));
        assertFalse(Passages.isProse("Gcloud Compute Instances Create Zone Project Region Machine Type Network"
                + " Subnet Labels Tags Metadata Scopes."));
    }

    @Test
    void manPageSampleIsDeterministicDistinctProse() throws IOException {
        try (ManPageCorpus corpus = new ManPageCorpus(ManPageCorpus.DEFAULT_ROOT)) {
            assumeTrue(corpus.documents().size() > 100, "no man pages on this machine");
            List<String> first = corpus.passages(300, 1);
            assertEquals(300, first.size());
            assertEquals(first, corpus.passages(300, 1));
            assertNotEquals(first, corpus.passages(300, 2));
            assertProse(first);
        }
    }

    @Test
    void javadocSampleIsDeterministicDistinctProse() throws IOException {
        assumeTrue(JavadocCorpus.defaultSrcZip() != null, "no src.zip in this JDK");
        try (JavadocCorpus corpus = new JavadocCorpus(JavadocCorpus.defaultSrcZip())) {
            List<String> first = corpus.passages(300, 1);
            assertEquals(300, first.size());
            assertEquals(first, corpus.passages(300, 1));
            assertProse(first);
        }
    }

    @Test
    void withoutManPagesTheSampleComesFromJavadoc(@TempDir Path noManPages) throws IOException {
        assumeTrue(JavadocCorpus.defaultSrcZip() != null, "no src.zip in this JDK");
        Selection selection = SentenceEmbeddings.select(50, 1, List.of(
                () -> new ManPageCorpus(noManPages), () -> new JavadocCorpus(JavadocCorpus.defaultSrcZip())));
        assertEquals("javadoc", selection.corpus());
        assertEquals(50, selection.passages().size());
        IllegalStateException tooMany = assertThrows(IllegalStateException.class,
                () -> SentenceEmbeddings.select(50, 1, List.of(() -> new ManPageCorpus(noManPages))));
        assertTrue(tooMany.getMessage().contains("man: 0"), tooMany.getMessage());
    }

    private static void assertProse(List<String> passages) {
        assertEquals(passages.size(), new HashSet<>(passages).size(), "distinct");
        for (String p : passages) {
            int words = Passages.wordCount(p);
            assertTrue(words >= Passages.MIN_WORDS && words <= Passages.MAX_WORDS, words + " words: " + p);
            assertTrue(Passages.isProse(p), p);
        }
    }
}
