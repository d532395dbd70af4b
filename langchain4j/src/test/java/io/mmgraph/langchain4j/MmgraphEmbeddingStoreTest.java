package io.mmgraph.langchain4j;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.EmbeddingStoreWithFilteringIT;
import org.junit.jupiter.api.AfterAll;

import java.io.IOException;

/** LangChain4j's own suite for stores with metadata and filters, run against mmgraph. */
class MmgraphEmbeddingStoreTest extends EmbeddingStoreWithFilteringIT {
    static final EmbeddingModel MODEL = new AllMiniLmL6V2EmbeddingModel();
    static final MmgraphEmbeddingStore STORE = Stores.temporary("filtering");

    @Override
    protected EmbeddingStore<TextSegment> embeddingStore() {
        return STORE;
    }

    @Override
    protected EmbeddingModel embeddingModel() {
        return MODEL;
    }

    @Override
    protected boolean supportsContains() {
        return true;
    }

    @Override
    protected void clearStore() {
        STORE.removeAll();
    }

    @AfterAll
    static void close() throws IOException {
        STORE.close();
    }
}
