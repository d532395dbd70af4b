package io.mmgraph.embed;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;

import java.util.ArrayList;
import java.util.List;

/**
 * Sentence embeddings computed locally: all-MiniLM-L6-v2 (384 dimensions, unit length, compared by cosine) run by
 * ONNX Runtime from the model inside langchain4j's jar, so nothing is downloaded and no service is called. Texts past
 * the model's 256 word pieces are cut (chunk long documents first: {@link TextChunks}). Thread-safe; loading the
 * model takes about a second, so keep one.
 */
public final class TextEmbedder {
    /** The model's output dimension. */
    public static final int DIMENSION = 384;

    private final EmbeddingModel model = new AllMiniLmL6V2EmbeddingModel();

    public float[] embed(String text) {
        return model.embed(text).content().vector();
    }

    public List<float[]> embedAll(List<String> texts) {
        List<TextSegment> segments = new ArrayList<>(texts.size());
        for (String t : texts) {
            segments.add(TextSegment.from(t));
        }
        List<float[]> out = new ArrayList<>(texts.size());
        for (Embedding e : model.embedAll(segments).content()) {
            out.add(e.vector());
        }
        return out;
    }
}
