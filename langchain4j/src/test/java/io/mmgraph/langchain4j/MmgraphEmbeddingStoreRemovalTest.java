package io.mmgraph.langchain4j;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.EmbeddingStoreWithRemovalIT;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;

import java.io.IOException;

/** LangChain4j's own suite for removal, run against mmgraph. */
class MmgraphEmbeddingStoreRemovalTest extends EmbeddingStoreWithRemovalIT {
    static final MmgraphEmbeddingStore STORE = Stores.temporary("removal");

    @BeforeEach
    void clear() {
        STORE.removeAll();
    }

    @Override
    protected EmbeddingStore<TextSegment> embeddingStore() {
        return STORE;
    }

    @Override
    protected EmbeddingModel embeddingModel() {
        return MmgraphEmbeddingStoreTest.MODEL;
    }

    @AfterAll
    static void close() throws IOException {
        STORE.close();
    }
}
