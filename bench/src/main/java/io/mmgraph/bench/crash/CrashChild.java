package io.mmgraph.bench.crash;

import io.mmgraph.index.Durability;
import io.mmgraph.index.IndexOptions;
import io.mmgraph.index.MMapGraph;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The writer {@link CrashTorture} kills: opens (or creates) the index and adds vectors until it is killed, ordinal i
 * being {@link #vector}(seed, i), alone or in batches linked by two threads. It tells its parent on stdout:
 * {@code start size=N recovered=B}, {@code syncing} just before an explicit commit, and {@code committed=C} whenever
 * the committed count has grown, once the call that made it has returned (so C is acknowledged).
 *
 * <p>Usage: {@code CrashChild DIR SEED DIM MODE} with MODE {@code sync:N} (an explicit {@code sync()} every N
 * vectors), {@code inserts:N} ({@link Durability#everyInserts}) or {@code millis:T} ({@link Durability#everyMillis}).
 */
public final class CrashChild {
    /** Small extents: the files grow every 1,024 vectors, so kills land during growth too. */
    static final int EXTENT_SLOTS = 1_024;
    static final int CODE_BYTES = 8;
    static final int CODE_TRAIN_SIZE = 2_000;

    private CrashChild() {}

    /** Vector {@code i} of the run seeded {@code seed}: any process computes the same bits. */
    static float[] vector(long seed, long i, int dim) {
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i);
        float[] v = new float[dim];
        for (int j = 0; j < dim; j++) {
            v[j] = (float) r.nextGaussian();
        }
        return v;
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long seed = Long.parseLong(args[1]);
        int dim = Integer.parseInt(args[2]);
        String[] mode = args[3].split(":");
        long every = Long.parseLong(mode[1]);
        MMapGraph g = Files.exists(dir.resolve("manifest.mmg")) ? MMapGraph.open(dir)
                : MMapGraph.create(dir, IndexOptions.dimension(dim).withExtentSlots(EXTENT_SLOTS)
                        .withCodeBytes(CODE_BYTES).withCodeTrainSize(CODE_TRAIN_SIZE).withMaxDegree(16)
                        .withBuildBeamWidth(32));
        switch (mode[0]) {
            case "sync" -> { }
            case "inserts" -> g.setDurability(Durability.everyInserts(every));
            case "millis" -> g.setDurability(Durability.everyMillis(every));
            default -> throw new IllegalArgumentException("mode " + args[3]);
        }
        say("start size=" + g.size() + " recovered=" + g.recoveredFromUncleanShutdown());
        long acknowledged = g.committedCount();
        SplittableRandom batches = new SplittableRandom(seed ^ g.size());
        while (true) { // until killed
            int next = g.size();
            int batch = batches.nextInt(4) == 0 ? 1 + batches.nextInt(64) : 1;
            if (batch == 1) {
                g.add(vector(seed, next, dim));
            } else {
                List<float[]> vs = new ArrayList<>(batch);
                for (int i = 0; i < batch; i++) {
                    vs.add(vector(seed, next + i, dim));
                }
                g.addAll(vs, 2);
            }
            if (mode[0].equals("sync") && g.size() / every != next / every) {
                say("syncing");
                g.sync();
            }
            long committed = g.committedCount();
            if (committed != acknowledged) {
                acknowledged = committed;
                say("committed=" + committed);
            }
        }
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
