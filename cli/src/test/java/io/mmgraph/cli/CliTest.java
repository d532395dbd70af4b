package io.mmgraph.cli;

import io.mmgraph.format.FileKind;
import io.mmgraph.format.FormatConstants;
import io.mmgraph.index.MMapGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CliTest {
    @TempDir
    Path tmp;

    record Result(int exit, String out, String err) {}

    /** Runs the CLI in this JVM, capturing what it prints. */
    static Result run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int exit = Main.run(args);
            return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /** Runs the CLI in a fresh JVM (so "after the process ends" means what it says). */
    static Result runInChild(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("--add-modules");
        cmd.add("jdk.incubator.vector");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child timed out");
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    @Test
    void twentyThousandVectorsExportBitExactAfterTheImportingProcessEnds() throws Exception {
        Path data = tmp.resolve("data");
        Path index = tmp.resolve("index");
        Path exported = tmp.resolve("out.fvecs");
        assertEquals(0, run("gen", data.toString(), "--n", "20000", "--dim", "24", "--queries", "10", "--clusters", "50",
                "--truth-k", "10").exit());
        Result imp = runInChild("import", index.toString(), data.resolve("base.fvecs").toString(), "--sync-every", "7000");
        assertEquals(0, imp.exit(), imp.err());
        assertTrue(imp.out().contains("imported 20000 vectors"), imp.out());
        Result exp = runInChild("export", index.toString(), exported.toString());
        assertEquals(0, exp.exit(), exp.err());
        assertEquals(-1, Files.mismatch(data.resolve("base.fvecs"), exported), "export differs from the import");
    }

    @Test
    void importReadsNpyCsvAndHdf5AndExportsTheSameVectors() throws Exception {
        java.util.Random r = new java.util.Random(17);
        float[][] rows = new float[300][6];
        for (float[] row : rows) {
            for (int j = 0; j < row.length; j++) {
                row[j] = (float) r.nextGaussian();
            }
        }
        // numpy.save's layout: magic, version 1.0, header length, a dict literal padded to 64 bytes, then the rows.
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (300, 6), }";
        int padded = (10 + dict.length() + 1 + 63) / 64 * 64 - 10;
        String header = dict + " ".repeat(padded - dict.length() - 1) + "\n";
        java.nio.ByteBuffer npy = java.nio.ByteBuffer.allocate(10 + padded + 300 * 6 * 4)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        npy.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length())
                .put(header.getBytes(StandardCharsets.ISO_8859_1));
        StringBuilder csv = new StringBuilder("x0,x1,x2,x3,x4,x5\n");
        for (float[] row : rows) {
            for (int j = 0; j < row.length; j++) {
                npy.putFloat(row[j]);
                csv.append(j == 0 ? "" : ",").append(row[j]);
            }
            csv.append('\n');
        }
        Path npyFile = Files.write(tmp.resolve("v.npy"), npy.array());
        Path csvFile = Files.writeString(tmp.resolve("v.csv"), csv);
        Path hdf5File = tmp.resolve("v.hdf5");
        try (io.jhdf.WritableHdfFile w = io.jhdf.HdfFile.write(hdf5File)) {
            w.putDataset("train", rows);
        }
        Path expected = tmp.resolve("expected.fvecs");
        io.mmgraph.dataset.VectorFiles.writeFvecs(expected, List.of(rows));
        for (Path input : List.of(npyFile, csvFile, hdf5File)) {
            Path index = tmp.resolve("index-" + input.getFileName());
            Result imp = run("import", index.toString(), input.toString());
            assertEquals(0, imp.exit(), input + ": " + imp.err());
            assertTrue(imp.out().contains("imported 300 vectors"), imp.out());
            Path out = tmp.resolve("out-" + input.getFileName() + ".fvecs");
            assertEquals(0, run("export", index.toString(), out.toString()).exit());
            assertEquals(-1, Files.mismatch(expected, out), input + ": the export differs from the input");
        }
        Result missing = run("import", tmp.resolve("i2").toString(), hdf5File.toString(), "--dataset", "test");
        assertEquals(1, missing.exit());
        assertTrue(missing.err().contains("no dataset 'test'"), missing.err());
    }

    @Test
    void statsJsonSearchJsonAndCheck() {
        Path data = tmp.resolve("data");
        Path index = tmp.resolve("index");
        assertEquals(0, run("gen", data.toString(), "--n", "3000", "--dim", "16", "--queries", "20", "--clusters", "30",
                "--truth-k", "10").exit());
        assertEquals(0, run("import", index.toString(), data.resolve("base.fvecs").toString(), "--metric", "l2").exit());

        Result stats = run("stats", index.toString(), "--json");
        assertEquals(0, stats.exit(), stats.err());
        String s = stats.out().trim();
        assertTrue(s.startsWith("{") && s.endsWith("}"), s);
        assertTrue(s.contains("\"count\":3000"), s);
        assertTrue(s.contains("\"dimension\":16"), s);
        assertTrue(s.contains("\"metric\":\"l2\""), s);
        assertTrue(s.matches(".*\"entryPoint\":[0-9]+.*") && s.contains("\"averageDegree\":"), s);
        double degree = Double.parseDouble(s.replaceAll(".*\"averageDegree\":([0-9.]+).*", "$1"));
        assertTrue(degree > 1 && degree <= 32, "average degree " + degree);

        Result warm = run("warm", index.toString(), "--json");
        assertEquals(0, warm.exit(), warm.err());
        String w = warm.out().trim();
        long loaded = Long.parseLong(w.replaceAll(".*\"loadedBytes\":([0-9]+).*", "$1"));
        assertTrue(loaded > 3000L * 16 * 4, "lists and vectors are loaded: " + w);
        if (System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
            // After warming, every vector byte is resident: the JSON repeats the file size as residentAfter.
            String vectors = w.replaceAll(".*\"vectors.mmg\":\\{([^}]*)}.*", "$1");
            long bytes = Long.parseLong(vectors.replaceAll(".*\"bytes\":([0-9]+).*", "$1"));
            long resident = Long.parseLong(vectors.replaceAll(".*\"residentAfter\":([0-9]+).*", "$1"));
            assertEquals(3000L * 16 * 4, bytes, w);
            assertTrue(resident >= bytes, w);
        }

        Result search = run("search", index.toString(), "--queries", data.resolve("query.fvecs").toString(),
                "-k", "10", "--truth", data.resolve("truth.ivecs").toString(), "--json", "--exact");
        assertEquals(0, search.exit(), search.err());
        String j = search.out().trim();
        assertTrue(j.contains("\"recall\":1.0"), "exact search must find the exact neighbours: " + j);
        assertTrue(j.contains("\"queries\":20") && j.contains("\"k\":10") && j.contains("\"qps\":"), j);
        assertTrue(j.contains("\"mode\":\"exact\"") && j.contains("\"distancesPerQuery\":3000.0"), j);

        Result graph = run("search", index.toString(), "--queries", data.resolve("query.fvecs").toString(),
                "-k", "10", "--truth", data.resolve("truth.ivecs").toString(), "--json", "--ef", "10,200");
        assertEquals(0, graph.exit(), graph.err());
        String[] lines = graph.out().trim().split("\n");
        assertEquals(2, lines.length, "one JSON object per ef: " + graph.out());
        assertTrue(lines[0].contains("\"mode\":\"graph\"") && lines[0].contains("\"ef\":10"), lines[0]);
        assertTrue(lines[1].contains("\"ef\":200"), lines[1]);
        double r200 = Double.parseDouble(lines[1].replaceAll(".*\"recall\":([0-9.]+).*", "$1"));
        assertTrue(r200 >= 0.99, "graph recall at ef 200: " + lines[1]);

        Result check = run("check", index.toString());
        assertEquals(0, check.exit(), check.out());
        assertTrue(check.out().startsWith("ok"), check.out());
    }

    @Test
    void checkNamesTheDamagedFileForAFlippedByteInEachFile() throws IOException {
        Path data = tmp.resolve("data");
        Path index = tmp.resolve("index");
        assertEquals(0, run("gen", data.toString(), "--n", "500", "--dim", "8", "--queries", "1", "--clusters", "5",
                "--truth-k", "1").exit());
        assertEquals(0, run("import", index.toString(), data.resolve("base.fvecs").toString()).exit());
        // Ten deletions, so that the deletes log has a record where the byte is flipped (record 5).
        Result delete = run("delete", index.toString(), "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "9");
        assertEquals(0, delete.exit(), delete.err());
        assertTrue(delete.out().startsWith("deleted 10 vectors (1 already were)"), delete.out());
        Result consolidated = run("delete", index.toString(), "--consolidate", "--json", "9", "10");
        assertEquals(0, consolidated.exit(), consolidated.err());
        assertTrue(consolidated.out().matches("(?s)\\{\"deleted\":1,\"alreadyDeleted\":1,\"deletedInIndex\":11,"
                + "\"size\":500,\"listsRewritten\":[1-9][0-9]*}\\s*"), consolidated.out());
        Result exported = run("export", index.toString(), tmp.resolve("live.fvecs").toString());
        assertTrue(exported.out().contains("exported 489 vectors of dimension 8") && exported.out().contains(
                "(11 deleted ones left out)"), exported.out());
        Result all = run("export", index.toString(), tmp.resolve("all.fvecs").toString(), "--include-deleted");
        assertTrue(all.out().contains("exported 500 vectors"), all.out());
        Result outside = run("delete", index.toString(), "10", "500");
        assertEquals(1, outside.exit());
        assertTrue(outside.err().contains("ordinal 500 is outside the index's 500 vectors; nothing deleted"),
                outside.err());
        List<String> names = new ArrayList<>(List.of(FormatConstants.MANIFEST_FILE));
        for (FileKind k : io.mmgraph.format.IndexFiles.kinds(0)) {
            if (k != FileKind.DOCS) { // empty: these vectors have no ids (the JSON Lines test flips one of its bytes)
                names.add(k.fileName());
            }
        }
        for (String name : names) {
            Path f = index.resolve(name);
            // Past the header for data files (in the records); inside copy B for the manifest.
            long at = name.equals(FormatConstants.MANIFEST_FILE) ? 4096 + 100 : FormatConstants.PROLOGUE_BYTES + 40;
            flip(f, at);
            Result check = run("check", index.toString());
            assertEquals(1, check.exit(), name + ": " + check.out());
            assertTrue(check.out().contains("DAMAGED") && check.out().contains(name), check.out());
            flip(f, at);
            assertEquals(0, run("check", index.toString()).exit(), "restored " + name);
        }
    }

    @Test
    void benchRefusesContradictoryDataOptionsBeforeRunningAnything() {
        Path out = tmp.resolve("bench");
        Result neither = run("bench", "--out", out.toString());
        assertEquals(2, neither.exit());
        assertTrue(neither.err().contains("--data or both --n and --dim"), neither.err());
        Result both = run("bench", "--data", tmp.toString(), "--n", "10", "--dim", "4", "--out", out.toString());
        assertEquals(2, both.exit());
        Result badEngine = run("bench", "--n", "100", "--dim", "4", "--engines", "mmgraph,faiss", "--out", out.toString());
        assertEquals(1, badEngine.exit());
        assertTrue(badEngine.err().contains("unknown engine 'faiss'"), badEngine.err());
        assertTrue(Files.notExists(out.resolve("data")), "nothing generated");
    }

    @Test
    void badInputFilesGetNamedErrorsAndChangeNothing() throws IOException {
        Path index = tmp.resolve("index");
        Path wrongMagic = tmp.resolve("bad.fvecs");
        Files.write(wrongMagic, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0x7f, 1, 2, 3, 4});
        Result r = run("import", index.toString(), wrongMagic.toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("MalformedVectorFileException"), r.err());
        assertTrue(Files.notExists(index.resolve(FormatConstants.MANIFEST_FILE)), "nothing may be created");

        Path shortRecord = tmp.resolve("short.fvecs");
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * 4 + 4 + 2 * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putInt(4).putFloat(1).putFloat(2).putFloat(3).putFloat(4).putInt(4).putFloat(5).putFloat(6);
        Files.write(shortRecord, b.array());
        r = run("import", index.toString(), shortRecord.toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("not a multiple of the record size"), r.err());

        Path good = tmp.resolve("good.fvecs");
        assertEquals(0, run("gen", tmp.resolve("g").toString(), "--n", "10", "--dim", "4", "--queries", "1",
                "--clusters", "2", "--truth-k", "1").exit());
        Files.copy(tmp.resolve("g/base.fvecs"), good);
        assertEquals(0, run("import", index.toString(), good.toString()).exit());
        r = run("import", index.toString(), good.toString(), "--dim", "5");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("DimensionMismatchException"), r.err());
        Path other = tmp.resolve("g8");
        assertEquals(0, run("gen", other.toString(), "--n", "10", "--dim", "8", "--queries", "1", "--clusters", "2",
                "--truth-k", "1").exit());
        r = run("import", index.toString(), other.resolve("base.fvecs").toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("dimension 8 but the index has dimension 4"), r.err());
        assertTrue(run("stats", index.toString(), "--json").out().contains("\"count\":10"), "index unchanged");
    }

    @Test
    void aSecondWriterProcessIsRefusedWithAClearMessage() throws Exception {
        Path index = tmp.resolve("index");
        Path data = tmp.resolve("data");
        assertEquals(0, run("gen", data.toString(), "--n", "10", "--dim", "4", "--queries", "1", "--clusters", "2",
                "--truth-k", "1").exit());
        assertEquals(0, run("create", index.toString(), "--dim", "4").exit());
        try (MMapGraph writer = MMapGraph.open(index)) {
            Result r = runInChild("import", index.toString(), data.resolve("base.fvecs").toString());
            assertNotEquals(0, r.exit());
            assertTrue(r.err().contains("locked by another writer"), r.err());
            assertTrue(r.err().contains(FormatConstants.LOCK_FILE), r.err());
            assertEquals(0, writer.size());
        }
    }

    @Test
    void everyCommandHasHelpAndTheToolHasAVersion() {
        Result v = run("--version");
        assertEquals(0, v.exit());
        assertTrue(v.out().startsWith("mmgraph "), v.out());
        for (String cmd : List.of("demo", "create", "import", "export", "stats", "check", "search", "gen", "get",
                "delete", "compact", "index-field", "serve", "backup", "warm")) {
            Result h = run(cmd, "--help");
            assertEquals(0, h.exit(), cmd);
            assertTrue(h.out().contains("Usage: mmgraph " + cmd), h.out());
        }
        Result bad = run("create");
        assertEquals(2, bad.exit(), "missing arguments are a usage error");
    }

    @Test
    void demoRunsEndToEnd() {
        Path dir = tmp.resolve("demo");
        Result r = run("demo", "--dir", dir.toString(), "--n", "2000", "--dim", "16", "--queries", "20");
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("exact, for comparison") && r.out().contains("recall@10 1.0000"), r.out());
        assertTrue(r.out().contains("bit-exact: yes"), r.out());
        assertTrue(r.out().contains("check: ok"), r.out());
    }

    @Test
    void jsonLinesDocumentsImportGetSearchDeleteAndExportWithTheirIdsAndPayloads() throws IOException {
        Path index = tmp.resolve("index");
        Path docs = tmp.resolve("docs.jsonl");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            String id = i % 2 == 0 ? "\"doc-" + i + "\"" : Integer.toString(i); // strings and integers
            sb.append("{\"id\":").append(id).append(",\"vector\":[").append(i).append(",").append(i % 7).append(",1.5]")
                    .append(",\"payload\":{\"n\":").append(i).append(",\"tag\":\"t").append(i % 3).append("\"}}\n");
            if (i == 10) {
                sb.append("\n"); // blank lines are skipped
            }
        }
        // The same id again: the later document replaces the earlier.
        sb.append("{\"id\":\"doc-4\",\"vector\":[1000,0,0],\"payload\":{\"n\":\"replaced\"}}\n");
        Files.writeString(docs, sb);
        Result imp = run("import", index.toString(), docs.toString());
        assertEquals(0, imp.exit(), imp.out() + imp.err());

        Result get = run("get", index.toString(), "doc-4", "7", "--json");
        assertEquals(0, get.exit(), get.err());
        String[] lines = get.out().strip().split("\n");
        assertEquals("{\"id\":\"doc-4\",\"ordinal\":300,\"payload\":{\"n\":\"replaced\"}}", lines[0]);
        assertEquals("{\"id\":\"7\",\"ordinal\":7,\"payload\":{\"n\":7,\"tag\":\"t1\"}}", lines[1]);
        Result missing = run("get", index.toString(), "doc-1");
        assertEquals(1, missing.exit());
        assertTrue(missing.err().contains("id doc-1 names no live vector"), missing.err());

        Result near = run("search", index.toString(), "--like", "doc-10", "-k", "2", "--exact", "--json");
        assertEquals(0, near.exit(), near.err());
        assertTrue(near.out().startsWith("{\"results\":[{\"id\":\"9\",\"ordinal\":9,\"payload\":{\"n\":9,"), near.out());
        Result byVector = run("search", index.toString(), "--vector", "[1000, 0, 0]", "-k", "1");
        assertEquals(0, byVector.exit(), byVector.err());
        assertTrue(byVector.out().contains("doc-4") && byVector.out().contains("\"replaced\""), byVector.out());

        Result filtered = run("search", index.toString(), "--vector", "0,0,1.5", "-k", "3", "--json", "--filter",
                "{\"must\":[{\"key\":\"tag\",\"match\":{\"value\":\"t2\"}},{\"key\":\"n\",\"range\":{\"gt\":5}}]}");
        assertEquals(0, filtered.exit(), filtered.err());
        assertTrue(filtered.out().startsWith("{\"results\":[{\"id\":\"doc-8\",\"ordinal\":8,\"payload\":{\"n\":8,"
                + "\"tag\":\"t2\"}"), filtered.out());
        // Indexed fields answer the same filter from their columns, with the same results.
        Result indexed = run("index-field", index.toString(), "tag", "n", "--json");
        assertEquals(0, indexed.exit(), indexed.err());
        assertTrue(indexed.out().startsWith("{\"added\":[\"tag\",\"n\"],\"indexedFields\":[\"n\",\"tag\"],"),
                indexed.out());
        Result onColumns = run("search", index.toString(), "--vector", "0,0,1.5", "-k", "3", "--json", "--filter",
                "{\"must\":[{\"key\":\"tag\",\"match\":{\"value\":\"t2\"}},{\"key\":\"n\",\"range\":{\"gt\":5}}]}");
        assertEquals(filtered.out().substring(0, filtered.out().indexOf(']')),
                onColumns.out().substring(0, onColumns.out().indexOf(']')));
        Result badFilter = run("search", index.toString(), "--vector", "0,0,1.5", "--filter", "{\"must\":{}}");
        assertNotEquals(0, badFilter.exit());
        assertTrue(badFilter.err().contains("filter.must must be an array"), badFilter.err());

        Result del = run("delete", index.toString(), "--id", "doc-4", "doc-1", "--json");
        assertEquals(0, del.exit(), del.err());
        assertTrue(del.out().contains("\"deleted\":1,\"alreadyDeleted\":1"), del.out());
        assertEquals(1, run("get", index.toString(), "doc-4").exit());

        Result compact = run("compact", index.toString(), "--json");
        assertEquals(0, compact.exit(), compact.err());
        assertTrue(compact.out().startsWith("{\"before\":301,\"after\":299,\"reclaimed\":2,\"generation\":1,"),
                compact.out());
        assertEquals("indexed fields: n, tag", run("index-field", index.toString()).out().strip(),
                "compaction keeps the field indexes");
        assertEquals("{\"id\":\"7\",\"ordinal\":6,\"payload\":{\"n\":7,\"tag\":\"t1\"}}",
                run("get", index.toString(), "7", "--json").out().strip(), "ordinals renumbered, ids kept");

        Path out = tmp.resolve("out.jsonl");
        assertEquals(0, run("export", index.toString(), out.toString()).exit());
        List<String> exported = Files.readAllLines(out);
        assertEquals(299, exported.size(), "300 documents, one replaced, its replacement deleted");
        assertEquals("{\"id\":\"doc-0\",\"vector\":[0.0,0.0,1.5],\"payload\":{\"n\":0,\"tag\":\"t0\"}}", exported.get(0));
        // What export writes, import reads back: the same documents.
        Path again = tmp.resolve("again");
        assertEquals(0, run("import", again.toString(), out.toString()).exit());
        Result back = run("get", again.toString(), "9", "--json", "--vector");
        assertEquals("{\"id\":\"9\",\"ordinal\":8,\"payload\":{\"n\":9,\"tag\":\"t0\"},\"vector\":[9.0,2.0,1.5]}",
                back.out().strip());
        assertEquals(0, run("check", again.toString()).exit());
        flip(again.resolve(FileKind.DOCS.fileName()), FormatConstants.PROLOGUE_BYTES + 40);
        Result damaged = run("check", again.toString());
        assertEquals(1, damaged.exit());
        assertTrue(damaged.out().contains("docs.mmg: the id and payload of ordinal"), damaged.out());
    }

    @Test
    void aFolderOfTextsIsEmbeddedLocallyAndSearchedByText() throws IOException {
        Path texts = tmp.resolve("texts");
        Files.createDirectories(texts.resolve("notes"));
        Files.writeString(texts.resolve("cats.txt"), "Cats are small domesticated mammals.\n\nThey sleep a lot and like warm places.\n");
        Files.writeString(texts.resolve("notes/finance.md"), "# Report\n\nQuarterly revenue rose four percent while costs fell.\n");
        Files.writeString(texts.resolve("rust.txt"), "The Rust compiler checks ownership and borrowing at compile time.\n");
        Files.write(texts.resolve("image.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G'}); // not text: not read
        Path index = tmp.resolve("index");
        Result imp = run("import", index.toString(), texts.toString(), "--embed");
        assertEquals(0, imp.exit(), imp.err());
        assertTrue(imp.out().contains("embedded and imported 3 chunks of 3 files"), imp.out());
        Result cat = run("search", index.toString(), "--text", "where does my kitten like to nap", "-k", "1", "--json");
        assertEquals(0, cat.exit(), cat.err());
        assertTrue(cat.out().startsWith("{\"results\":[{\"id\":\"cats.txt#0\",\"ordinal\":0,\"payload\":{\"path\":\"cats.txt\","
                + "\"chunk\":0,\"text\":\"Cats are small domesticated mammals. They sleep a lot"), cat.out());
        Result money = run("search", index.toString(), "--text", "how much did sales grow", "-k", "1");
        assertTrue(money.out().contains("notes/finance.md#0"), money.out());
        // Importing again replaces the chunks rather than adding copies.
        assertEquals(0, run("import", index.toString(), texts.toString(), "--embed").exit());
        Result stats = run("stats", index.toString(), "--json");
        assertTrue(stats.out().contains("\"count\":6") && stats.out().contains("\"deleted\":3"), stats.out());
    }

    @Test
    void aBadJsonLinesDocumentIsANamedErrorWithItsLine() throws IOException {
        Path docs = tmp.resolve("bad.jsonl");
        Files.writeString(docs, "{\"id\":\"a\",\"vector\":[1,2]}\n{\"id\":\"b\",\"vector\":[1,\"x\"]}\n");
        Result r = run("import", tmp.resolve("i").toString(), docs.toString());
        assertNotEquals(0, r.exit());
        assertTrue(r.err().contains("line 2") && r.err().contains("component 1 is not a number"), r.err());
        Files.writeString(docs, "{\"id\":\"a\",\"vector\":[1,2]}\n{\"vector\":[1,2],\"payload\":{}}\n");
        Result noId = run("import", tmp.resolve("j").toString(), docs.toString());
        assertNotEquals(0, noId.exit());
        assertTrue(noId.err().contains("document 2 has no \"id\""), noId.err());
        Files.writeString(docs, "{\"id\":\"a\",\"vector\":[1,2]\n");
        Result notJson = run("import", tmp.resolve("k").toString(), docs.toString());
        assertTrue(notJson.err().contains("line 1: not JSON"), notJson.err());
    }

    private static void flip(Path f, long at) throws IOException {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            ch.read(one, at);
            one.put(0, (byte) (one.get(0) ^ 0x10)).rewind();
            ch.write(one, at);
        }
    }
}
