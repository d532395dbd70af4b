package io.mmgraph.bench.jmh;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JMH annotation processor ran, and the kernel variants being compared compute the same distances. */
class BenchmarkListTest {
    @Test
    void everyBenchmarkIsRegistered() throws IOException {
        try (InputStream in = BenchmarkListTest.class.getResourceAsStream("/META-INF/BenchmarkList")) {
            assertNotNull(in, "META-INF/BenchmarkList was not generated: scripts/bench-jmh.sh would find nothing");
            String list = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (String method : new String[]{"l2Kernels", "l2Lucene", "l2KernelsMappedSegment", "dotLucene",
                    "mappedRandom", "heapArraysRandom", "heapFlatSequential"}) {
                assertTrue(list.contains(method), method + " missing from the JMH list");
            }
        }
    }

    @Test
    void kernelVariantsAgreeBeforeTheyAreCompared() {
        for (int dim : new int[]{100, 128}) {
            DistanceKernelBenchmark b = new DistanceKernelBenchmark();
            b.dim = dim;
            // setup() compares every variant with a plain loop and throws IllegalStateException on disagreement.
            assertDoesNotThrow(() -> {
                b.setup();
                b.tearDown();
            }, "dim " + dim);
        }
    }
}
