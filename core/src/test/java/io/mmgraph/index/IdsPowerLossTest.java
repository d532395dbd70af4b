package io.mmgraph.index;

import io.mmgraph.dataset.SyntheticData;
import io.mmgraph.format.VerifyReport;
import io.mmgraph.store.DurabilityRecorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Power loss under upserts and deletions by id (PowerLossTest's simulation: images rebuilt from the log of what each
 * sync made durable, cut at manifest writes and at random, torn and with early write-back): every image opens,
 * verifies (key records, docs, the id table), holds each id on at most one live vector, and is exactly the state of
 * the last acknowledged commit or of the commit then under way.
 */
class IdsPowerLossTest {
    private static final int DIM = 8;

    @TempDir
    Path tmp;

    /** After {@code events} events, a sync() had returned with this id → payload state committed. */
    record Ack(int events, Map<String, String> state) {}

    @Test
    void everyCutHoldsTheStateOfALastCommitWithEachIdOnOneVector() throws IOException {
        Path dir = tmp.resolve("live");
        List<PowerLossTest.Event> events = Collections.synchronizedList(new ArrayList<>());
        List<Ack> acks = new ArrayList<>();
        float[][] data = new SyntheticData(DIM, 10, 5).bases(1_200);
        SplittableRandom r = new SplittableRandom(20261203);
        Map<String, String> model = new HashMap<>();
        DurabilityRecorder.install(PowerLossTest.recorder(events, dir));
        try (MMapGraph g = MMapGraph.create(dir, IndexOptions.dimension(DIM).withExtentSlots(128).withMaxDegree(8)
                .withBuildBeamWidth(16))) {
            acks.add(new Ack(events.size(), Map.of()));
            int next = 0;
            boolean indexed = false;
            while (next < data.length) {
                int batch = Math.min(data.length - next, 1 + r.nextInt(40));
                List<String> ids = new ArrayList<>();
                List<float[]> vectors = new ArrayList<>();
                List<String> payloads = new ArrayList<>();
                for (int i = 0; i < batch; i++) {
                    String id = "k" + r.nextInt(300);
                    ids.add(id);
                    vectors.add(data[next + i]);
                    payloads.add("{\"v\":" + (next + i) + "}");
                    model.put(id, "{\"v\":" + (next + i) + "}");
                }
                g.upsertAll(ids, vectors, payloads, 2);
                if (!indexed && next >= data.length / 2) {
                    g.sync();
                    acks.add(new Ack(events.size(), Map.copyOf(model)));
                    g.indexField("v"); // covers the first half; the rest writes its entries too
                    indexed = true;
                }
                next += batch;
                if (r.nextInt(3) == 0) {
                    String victim = "k" + r.nextInt(300);
                    if (g.delete(victim)) {
                        model.remove(victim);
                    }
                }
                if (r.nextInt(3) == 0) {
                    g.sync();
                    acks.add(new Ack(events.size(), Map.copyOf(model)));
                }
            }
            g.sync();
            acks.add(new Ack(events.size(), Map.copyOf(model)));
        } finally {
            DurabilityRecorder.install(null);
        }
        TreeSet<Integer> cuts = new TreeSet<>();
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).file().equals("manifest.mmg") && r.nextInt(3) == 0) {
                cuts.add(i);
                cuts.add(i + 1);
            }
        }
        for (int i = 0; i < 30; i++) {
            cuts.add(acks.getFirst().events() + r.nextInt(events.size() - acks.getFirst().events() + 1));
        }
        int checked = 0;
        long entriesRead = 0;
        for (int cut : cuts) {
            if (cut < acks.getFirst().events()) {
                continue; // inside create(): PowerLossTest covers it
            }
            int last = 0;
            for (int a = 0; a < acks.size(); a++) {
                if (acks.get(a).events() <= cut) {
                    last = a;
                }
            }
            Path image = tmp.resolve("cut-" + cut);
            PowerLossTest.rebuild(image, events, cut, r);
            String where = "cut at event " + cut + " of " + events.size();
            try (MMapGraph reader = MMapGraph.openReadOnly(image)) {
                // Before a writer extends or rebuilds it: every entry the column lets a filter read is the payload's.
                io.mmgraph.format.FieldColumn column = reader.fieldIndexes().column("v");
                for (int ord = 0; column != null && ord < reader.size(); ord++) {
                    int meta = column.meta(ord);
                    if (meta != io.mmgraph.format.FieldColumn.UNWRITTEN) {
                        entriesRead++;
                        FieldIndexes.Entry want = FieldIndexes.encode(FieldIndexes.parse(reader.payload(ord)), "v");
                        assertTrue(meta == (want.kind() | want.length() << 8) && column.value(ord) == want.value(),
                                where + ": the column's entry " + ord + " is not its payload's");
                    }
                }
            }
            try (MMapGraph g = MMapGraph.open(image)) {
                assertTrue(g.indexedFields().equals(List.of("v")) || cut < firstColumnEvent(events),
                        where + ": the column is there once it was built");
                VerifyReport report = g.verify();
                assertTrue(report.ok(), where + ": " + report.problems());
                Map<String, String> state = new HashMap<>();
                for (int ord = 0; ord < g.size(); ord++) {
                    String id = g.id(ord);
                    if (id != null && !g.isDeleted(ord)) {
                        assertTrue(state.put(id, g.payload(ord)) == null, where + ": id " + id + " on two live vectors");
                        assertTrue(g.get(id).orElseThrow().ordinal() == ord, where + ": get(" + id + ")");
                    }
                }
                boolean matches = state.equals(acks.get(last).state())
                        || (last + 1 < acks.size() && state.equals(acks.get(last + 1).state()));
                assertTrue(matches, where + ": the image's " + state.size() + " ids are neither the state of commit "
                        + last + " (" + acks.get(last).state().size() + " ids) nor of the next one");
                g.upsert("k0", data[0], "{\"after\":true}");
                g.sync();
                assertTrue(g.get("k0").orElseThrow().payload().equals("{\"after\":true}"), where + ": takes upserts");
            }
            checked++;
            PowerLossTest.deleteImage(image);
        }
        assertTrue(checked >= 30 && acks.size() > 10, checked + " images, " + acks.size() + " commits");
        assertTrue(entriesRead > 100L * checked, "the images' readers read column entries: " + entriesRead);
    }

    /** The event that put the column in place (its build's rename). */
    private static int firstColumnEvent(List<PowerLossTest.Event> events) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).file().equals(io.mmgraph.format.FieldColumn.fileName("v", 0))) {
                return i;
            }
        }
        return Integer.MAX_VALUE;
    }
}
