package io.mmgraph.embed;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TextEmbedderTest {
    private static double cos(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    @Test
    void similarSentencesAreNearerThanUnrelatedOnes() {
        TextEmbedder e = new TextEmbedder();
        List<float[]> v = e.embedAll(List.of("The cat sleeps on the sofa.", "A kitten is napping on the couch.",
                "Quarterly revenue rose by four percent."));
        assertEquals(TextEmbedder.DIMENSION, v.get(0).length);
        assertEquals(1.0, cos(v.get(0), v.get(0)), 1e-4, "unit length");
        assertTrue(cos(v.get(0), v.get(1)) > cos(v.get(0), v.get(2)) + 0.2,
                cos(v.get(0), v.get(1)) + " vs " + cos(v.get(0), v.get(2)));
        assertEquals(cos(v.get(0), e.embed("The cat sleeps on the sofa.")), 1.0, 1e-4, "one or many: the same");
    }

    @Test
    void chunksKeepParagraphsTogetherAndCutLongOnesAtSentences() {
        String text = "First paragraph.\n\nSecond one,\n  on two lines.\n\n\n" + "Long sentence here. ".repeat(10);
        List<String> chunks = TextChunks.split(text, 60);
        assertEquals("First paragraph. Second one, on two lines.", chunks.get(0));
        for (String c : chunks) {
            assertTrue(c.length() <= 60 && !c.isBlank(), c);
        }
        assertTrue(chunks.get(1).endsWith("here."), chunks.get(1));
        assertEquals(String.join(" ", chunks).replace(" ", ""), text.replaceAll("\\s+", ""), "nothing lost");
        assertEquals(List.of(), TextChunks.split(" \n\n ", 100));
        String emoji = "\uFEFF" + "\uD83D\uDE00".repeat(40); // no space, no sentence end: cut hard, never mid-pair
        for (String c : TextChunks.split(emoji, 25)) {
            assertTrue(!Character.isHighSurrogate(c.charAt(c.length() - 1)) && !Character.isLowSurrogate(c.charAt(0)), c);
            assertTrue(!c.startsWith("\uFEFF"));
        }
    }
}
