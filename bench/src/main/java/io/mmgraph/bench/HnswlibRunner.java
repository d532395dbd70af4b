package io.mmgraph.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mmgraph.dataset.GroundTruth;
import io.mmgraph.dataset.VectorFiles;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * hnswlib (C++) through Debian's {@code python3-hnswlib}: the native reference. The Python side builds and times;
 * this side scores the ids it found with the same recall code as the JVM engines.
 */
final class HnswlibRunner {
    private static final ObjectMapper JSON = new ObjectMapper();

    private HnswlibRunner() {
    }

    /** A Python interpreter that can import hnswlib and numpy, Debian's first; empty when there is none. */
    static Optional<String> findPython() {
        for (String python : List.of("/usr/bin/python3", "python3")) {
            try {
                Process p = new ProcessBuilder(python, "-c", "import hnswlib, numpy")
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return Optional.of(python);
                }
                p.destroyForcibly();
            } catch (IOException e) {
                // not installed under this name: try the next
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    static List<ResultRow> run(String python, Path specFile, RunSpec spec, Path work, int[][] truth)
            throws IOException, InterruptedException {
        Path script = work.resolve("hnswlib_run.py");
        try (InputStream in = HnswlibRunner.class.getResourceAsStream("hnswlib_run.py")) {
            Files.copy(in, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Path out = work.resolve("rows-hnswlib.json");
        Process p = new ProcessBuilder(python, script.toString(), specFile.toString(), out.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT).start();
        if (p.waitFor() != 0) {
            throw new IOException("hnswlib run failed with exit code " + p.exitValue());
        }
        List<ResultRow> rows = new ArrayList<>();
        String simd = "hnswlib " + debianVersion() + " (Debian python3-hnswlib)";
        for (JsonNode r : JSON.readTree(out.toFile())) {
            int[][] found = VectorFiles.readIvecs(Path.of(r.get("idsFile").asText()));
            double recall = GroundTruth.recall(found, truth, spec.k());
            rows.add(new ResultRow("hnswlib", "ef", r.get("param").asInt(), spec.k(), recall, r.get("qps").asDouble(),
                    r.get("qpsThreads").asDouble(), r.get("threads").asInt(), r.get("p50Micros").asDouble(),
                    r.get("p99Micros").asDouble(), -1, r.get("buildSeconds").asDouble(), r.get("indexBytes").asLong(),
                    r.get("openMillis").asDouble(), r.get("heapPeakBytes").asLong(), r.get("rssPeakBytes").asLong(),
                    r.get("heapPeakBytes").asLong(), r.get("rssPeakBytes").asLong(), simd, r.get("n").asInt(), r.get("dimension").asInt(), r.get("queries").asInt()));
        }
        return rows;
    }

    private static String debianVersion() {
        try {
            Process p = new ProcessBuilder("dpkg-query", "-W", "-f=${Version}", "python3-hnswlib")
                    .redirectErrorStream(true).start();
            String v = new String(p.getInputStream().readAllBytes()).trim();
            return p.waitFor() == 0 ? v : "?";
        } catch (IOException | InterruptedException e) {
            return "?";
        }
    }
}
