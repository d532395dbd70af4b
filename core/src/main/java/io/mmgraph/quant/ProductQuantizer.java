package io.mmgraph.quant;

import io.mmgraph.vector.Kernels;
import io.mmgraph.vector.Metric;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;
import java.util.stream.IntStream;
import java.util.zip.CRC32C;

/**
 * Product quantization (Jégou, Douze and Schmid, "Product quantization for nearest neighbor search", TPAMI 2011):
 * a {@code d}-dimensional vector is cut into {@code M} contiguous subvectors (the paper's {@code m} subquantizers),
 * each replaced by the index of its nearest of {@code k*} centroids learnt by k-means on that subspace. A vector's
 * code is {@code M} bytes, byte {@code s} naming the centroid of subspace {@code s}.
 *
 * <h2>Subspaces</h2>
 * Subspace {@code s} covers a contiguous range of dimensions. When {@code M} does not divide {@code d}, the first
 * {@code d % M} subspaces get {@code ceil(d / M)} dimensions and the rest {@code floor(d / M)}: with {@code d = 10,
 * M = 4} the ranges are {@code [0,3) [3,6) [6,8) [8,10)}.
 *
 * <h2>Centroids per subspace</h2>
 * {@code k* = min(256, sample size)}: 256 when the training sample allows it, fewer for a small sample. A code is one
 * byte per subspace whatever {@code k*} is, and {@link #encode} only writes values below {@code k*}.
 *
 * <h2>Distances</h2>
 * Asymmetric distance computation (the paper's ADC): the query stays exact and the stored vector is replaced by its
 * reconstruction. {@link #distanceTable} precomputes, per subspace and centroid, the query's partial score; then
 * {@link #distance} is {@code M} table look-ups. The result is on the scale of {@link Metric}'s distances (lower is
 * nearer), evaluated between the query and the reconstruction {@link #decode}:
 * <ul>
 *   <li>{@link Metric#L2}: table entries are squared subvector distances; the distance is their sum.</li>
 *   <li>{@link Metric#COSINE}: entries are subvector inner products with the normalized query; the distance is
 *       {@code 1 - sum}. The reconstruction of a unit vector is not exactly unit length, so the result can stray
 *       slightly outside [0, 2].</li>
 *   <li>{@link Metric#DOT}: entries are subvector inner products; the distance is {@code -sum}.</li>
 * </ul>
 * For cosine, {@link #train}, {@link #encode} and {@link #distanceTable} normalize (a copy of) their input exactly as
 * the index does ({@link Kernels#normalize}), so raw or already normalized vectors may be passed; a zero vector is
 * refused. Centroids are learnt and codes chosen by squared Euclidean distance for every metric.
 *
 * <h2>Serialized form</h2>
 * {@link #writeTo} writes, little-endian ({@link #BYTE_ORDER}), {@link #serializedBytes()} bytes:
 * <pre>
 *   offset        size         field
 *    0            4            magic                 {@link #MAGIC}, the bytes "MMPQ"
 *    4            4            version               {@link #VERSION}
 *    8            4            dimension d           1 .. {@link #MAX_DIMENSION}
 *   12            4            subspaces M           1 .. d
 *   16            4            centroidsPerSubspace  k*, 1 .. 256
 *   20            4            metric                {@link Metric#code()}: 1 l2, 2 cosine, 3 dot
 *   24            4 · k* · d   centroids             float32; subspace 0's k* centroids (each its subspace's
 *                                                    dimensions in order), then subspace 1's, and so on
 *   24 + 4·k*·d   4            crc                   CRC32C of every preceding byte
 * </pre>
 * Version history: 1 — first layout.
 *
 * <p>Immutable and safe to share between threads: the codebook is never modified after construction and no method
 * keeps state between calls. A distance table belongs to its caller (one per query, reusable across queries).
 */
public final class ProductQuantizer {
    /** The byte order of the serialized form, as of every value mmgraph writes. */
    public static final ByteOrder BYTE_ORDER = ByteOrder.LITTLE_ENDIAN;
    /** "MMPQ" read as a little-endian int. */
    public static final int MAGIC = 0x51504D4D;
    /** The serialized layout this code writes (and the newest it reads). */
    public static final int VERSION = 1;
    /** Centroids per subspace when the sample allows: every value of a one-byte code. */
    public static final int MAX_CENTROIDS = 256;
    /** Largest dimension, so that the serialized size stays below 2 GiB. */
    public static final int MAX_DIMENSION = 1 << 20;

    static final int OFF_MAGIC = 0;
    static final int OFF_VERSION = 4;
    static final int OFF_DIMENSION = 8;
    static final int OFF_SUBSPACES = 12;
    static final int OFF_CENTROIDS_PER_SUBSPACE = 16;
    static final int OFF_METRIC = 20;
    static final int OFF_CENTROIDS = 24;
    static final int CRC_BYTES = Integer.BYTES;

    private final int dimension;
    private final int subspaces;
    private final int centroidsPerSubspace;
    private final Metric metric;
    /** {@code subspaceStart[s]} is the first dimension of subspace s; {@code subspaceStart[M] == d}. */
    private final int[] subspaceStart;
    /**
     * All centroids, subspace-major: subspace s's block starts at {@code k* · subspaceStart[s]} and holds its k*
     * centroids of {@code subspaceStart[s + 1] - subspaceStart[s]} floats each (the serialized order).
     */
    private final float[] centroids;
    /** distance = bias + sign · (sum of table entries): (0, 1) for L2, (1, -1) for cosine, (0, -1) for dot. */
    private final float bias;
    private final float sign;

    private ProductQuantizer(int dimension, int subspaces, int centroidsPerSubspace, Metric metric, float[] centroids) {
        this.dimension = dimension;
        this.subspaces = subspaces;
        this.centroidsPerSubspace = centroidsPerSubspace;
        this.metric = metric;
        this.subspaceStart = subspaceStarts(dimension, subspaces);
        this.centroids = centroids;
        this.bias = metric == Metric.COSINE ? 1f : 0f;
        this.sign = metric == Metric.L2 ? 1f : -1f;
    }

    /**
     * Learns a codebook from {@code sample}: k-means (k-means++ seeding, then at most {@code iterations} Lloyd
     * iterations) on each subspace, the subspaces in parallel on the common fork-join pool. Every sample vector is
     * used; cost {@code O(n · k* · d · iterations)}, so pass a sample of a few thousand to some tens of thousands of
     * vectors rather than a whole index. Deterministic for a given sample, {@code subspaces} and {@code seed},
     * whatever the parallelism.
     *
     * @param sample     training vectors, all of one dimension {@code d}, finite; for cosine not zero (they are
     *                   normalized here; the array is not modified)
     * @param subspaces  M, in {@code [1, d]}; the code size in bytes
     * @param metric     the metric later distances are computed for
     * @param seed       seeds k-means++ (each subspace draws from its own stream derived from it)
     * @param iterations the most Lloyd iterations per subspace, at least 0 (0 keeps the k-means++ seeds)
     * @throws IllegalArgumentException on an empty sample, a null, ragged, non-finite or (cosine) zero vector, or
     *                                  {@code subspaces} or {@code iterations} out of range
     */
    public static ProductQuantizer train(float[][] sample, int subspaces, Metric metric, long seed, int iterations) {
        Objects.requireNonNull(metric, "metric");
        if (sample == null || sample.length == 0) {
            throw new IllegalArgumentException("the training sample is empty");
        }
        if (sample[0] == null || sample[0].length == 0) {
            throw new IllegalArgumentException("sample vector 0 is " + (sample[0] == null ? "null" : "empty"));
        }
        int dimension = sample[0].length;
        if (dimension > MAX_DIMENSION) {
            throw new IllegalArgumentException("dimension " + dimension + " exceeds " + MAX_DIMENSION);
        }
        if (subspaces < 1 || subspaces > dimension) {
            throw new IllegalArgumentException("subspaces=" + subspaces + " must be in [1, " + dimension
                    + "], the dimension");
        }
        if (iterations < 0) {
            throw new IllegalArgumentException("iterations=" + iterations + " must be at least 0");
        }
        int n = sample.length;
        float[][] points = new float[n][];
        for (int i = 0; i < n; i++) {
            points[i] = prepare(sample[i], dimension, metric, "sample vector " + i);
        }
        int k = Math.min(MAX_CENTROIDS, n);
        int[] starts = subspaceStarts(dimension, subspaces);
        float[] centroids = new float[k * dimension];
        // Subspaces are independent: each writes only its own block of centroids, from its own random stream.
        IntStream.range(0, subspaces).parallel().forEach(s -> {
            int from = starts[s];
            int width = starts[s + 1] - from;
            float[] subvectors = new float[n * width];
            for (int i = 0; i < n; i++) {
                System.arraycopy(points[i], from, subvectors, i * width, width);
            }
            KMeans.Clustering c = KMeans.cluster(subvectors, width, k, iterations, subspaceSeed(seed, s));
            System.arraycopy(c.centroids(), 0, centroids, k * from, k * width);
        });
        return new ProductQuantizer(dimension, subspaces, k, metric, centroids);
    }

    /** The first dimension of each subspace, then d: the first {@code d % M} subspaces are one dimension wider. */
    static int[] subspaceStarts(int dimension, int subspaces) {
        int[] starts = new int[subspaces + 1];
        int narrow = dimension / subspaces;
        int wide = dimension % subspaces;
        for (int s = 0; s < subspaces; s++) {
            starts[s + 1] = starts[s] + narrow + (s < wide ? 1 : 0);
        }
        return starts;
    }

    /** A well-mixed, distinct seed per subspace (SplittableRandom seeds a gamma apart would share a sequence). */
    private static long subspaceSeed(long seed, int subspace) {
        long z = seed ^ ((subspace + 1L) * 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Checks {@code vector} and returns it as the codebook sees it: a normalized copy for cosine, the array itself
     * otherwise (never modified).
     */
    private static float[] prepare(float[] vector, int dimension, Metric metric, String what) {
        if (vector == null) {
            throw new IllegalArgumentException(what + " is null");
        }
        if (vector.length != dimension) {
            throw new IllegalArgumentException(what + " has dimension " + vector.length + ", expected " + dimension);
        }
        for (int j = 0; j < dimension; j++) {
            if (!Float.isFinite(vector[j])) {
                throw new IllegalArgumentException(what + " has component " + j + " = " + vector[j]);
            }
        }
        if (!metric.normalizes()) {
            return vector;
        }
        float[] unit = vector.clone();
        if (Kernels.normalize(unit) == 0) {
            throw new IllegalArgumentException(what + " is a zero vector, which has no direction for cosine");
        }
        return unit;
    }

    /**
     * Writes the {@link #codeBytes()} code bytes of {@code vector} to {@code codes[offset ..]}: for each subspace, the
     * index of the nearest centroid (ties to the lower index).
     *
     * @throws IllegalArgumentException if {@code vector} has the wrong dimension, a non-finite component or (cosine)
     *                                  no direction
     * @throws IndexOutOfBoundsException if the code does not fit in {@code codes} at {@code offset}
     */
    public void encode(float[] vector, byte[] codes, int offset) {
        float[] v = prepare(vector, dimension, metric, "vector");
        Objects.checkFromIndexSize(offset, subspaces, codes.length);
        for (int s = 0; s < subspaces; s++) {
            codes[offset + s] = (byte) nearestCentroid(v, s);
        }
    }

    private int nearestCentroid(float[] v, int s) {
        int from = subspaceStart[s];
        int width = subspaceStart[s + 1] - from;
        int at = centroidsPerSubspace * from;
        int best = 0;
        float bestDistance = KMeans.squaredDistance(v, from, centroids, at, width);
        for (int c = 1; c < centroidsPerSubspace; c++) {
            at += width;
            float d = KMeans.squaredDistance(v, from, centroids, at, width);
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        return best;
    }

    /**
     * The reconstruction of the code at {@code codes[offset ..]}: each subspace's centroid, concatenated. For cosine
     * it approximates the normalized vector.
     *
     * @throws IllegalArgumentException if a code byte is not below {@link #centroidsPerSubspace()}
     */
    public float[] decode(byte[] codes, int offset) {
        float[] out = new float[dimension];
        decode(codes, offset, out);
        return out;
    }

    /**
     * As {@link #decode(byte[], int)}, into {@code out} (length ≥ {@link #dimension()}), allocating nothing: the
     * build's pruning decodes codes of nodes whose vectors are not resident.
     */
    public void decode(byte[] codes, int offset, float[] out) {
        Objects.checkFromIndexSize(offset, subspaces, codes.length);
        Objects.checkFromIndexSize(0, dimension, out.length);
        for (int s = 0; s < subspaces; s++) {
            int c = codes[offset + s] & 0xFF;
            if (c >= centroidsPerSubspace) {
                throw new IllegalArgumentException("code byte " + s + " is " + c + " but subspaces have only "
                        + centroidsPerSubspace + " centroids");
            }
            int from = subspaceStart[s];
            int width = subspaceStart[s + 1] - from;
            int at = centroidsPerSubspace * from + c * width;
            // Subspaces are a few floats wide: a loop, not an arraycopy call per subspace (12% of a coded build).
            for (int j = 0; j < width; j++) {
                out[from + j] = centroids[at + j];
            }
        }
    }

    /** The length of a distance table: {@code M · k*} floats. */
    public int distanceTableLength() {
        return subspaces * centroidsPerSubspace;
    }

    /** A new distance table for {@code query}; see {@link #distanceTable(float[], float[])}. */
    public float[] distanceTable(float[] query) {
        float[] table = new float[distanceTableLength()];
        distanceTable(query, table);
        return table;
    }

    /**
     * Fills {@code table} ({@link #distanceTableLength()} floats, reusable across queries) with the query's
     * partial scores: entry {@code s · k* + c} is, for subspace {@code s} and centroid {@code c}, the squared distance
     * (L2) or the inner product (cosine, with the normalized query; dot) between the query's subvector and the
     * centroid.
     *
     * @throws IllegalArgumentException if {@code query} has the wrong dimension, a non-finite component or (cosine)
     *                                  no direction, or {@code table} the wrong length
     */
    public void distanceTable(float[] query, float[] table) {
        float[] q = prepare(query, dimension, metric, "query");
        fillTable(q, table);
    }

    private void fillTable(float[] q, float[] table) {
        if (table.length != distanceTableLength()) {
            throw new IllegalArgumentException("distance table has " + table.length + " floats, expected "
                    + distanceTableLength());
        }
        boolean squared = metric == Metric.L2;
        int entry = 0;
        for (int s = 0; s < subspaces; s++) {
            int from = subspaceStart[s];
            int width = subspaceStart[s + 1] - from;
            for (int c = 0, at = centroidsPerSubspace * from; c < centroidsPerSubspace; c++, at += width) {
                table[entry++] = squared
                        ? KMeans.squaredDistance(q, from, centroids, at, width)
                        : innerProduct(q, from, centroids, at, width);
            }
        }
    }

    private static float innerProduct(float[] a, int aOffset, float[] b, int bOffset, int length) {
        float sum = 0;
        for (int j = 0; j < length; j++) {
            sum += a[aOffset + j] * b[bOffset + j];
        }
        return sum;
    }

    /**
     * The asymmetric distance between the query of {@code table} (from {@link #distanceTable}) and the code at
     * {@code codes[offset ..]}, on the scale of {@link #metric()}'s distances. No argument checks beyond the bounds
     * of table and codes, so the table must come from this quantizer and the code from {@link #encode}.
     */
    public float distance(float[] table, byte[] codes, int offset) {
        return distance(table, MemorySegment.ofArray(codes), offset);
    }

    /**
     * As {@link #distance(float[], byte[], int)}, for a code stored in (mapped) memory at {@code codes[offset ..]}:
     * the graph walk reads codes in place from the codes file. Four independent sums, so the look-ups do not wait on
     * one another's additions.
     */
    public float distance(float[] table, MemorySegment codes, long offset) {
        int k = centroidsPerSubspace;
        int m = subspaces;
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int s = 0;
        int row = 0;
        for (; s + 3 < m; s += 4, row += 4 * k) {
            // One 4-byte load for four codes: little-endian, so code s is the lowest byte.
            int four = codes.get(CODE_WORD, offset + s);
            s0 += table[row + (four & 0xFF)];
            s1 += table[row + k + ((four >>> 8) & 0xFF)];
            s2 += table[row + 2 * k + ((four >>> 16) & 0xFF)];
            s3 += table[row + 3 * k + (four >>> 24)];
        }
        for (; s < m; s++, row += k) {
            s0 += table[row + (codes.get(ValueLayout.JAVA_BYTE, offset + s) & 0xFF)];
        }
        return bias + sign * ((s0 + s1) + (s2 + s3));
    }

    private static final ValueLayout.OfInt CODE_WORD = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** d, the dimension of the vectors this quantizer encodes. */
    public int dimension() {
        return dimension;
    }

    /** M, the number of subspaces. */
    public int subspaces() {
        return subspaces;
    }

    /** k*, the centroids of each subspace: 256, or the training sample size if smaller. */
    public int centroidsPerSubspace() {
        return centroidsPerSubspace;
    }

    public Metric metric() {
        return metric;
    }

    /** Bytes of one code: one per subspace. */
    public int codeBytes() {
        return subspaces;
    }

    /** The first dimension of subspace {@code s} (for {@code s == M}, the dimension). */
    int subspaceStart(int s) {
        return subspaceStart[s];
    }

    /** Bytes {@link #writeTo} writes. */
    public int serializedBytes() {
        return (int) serializedBytes(dimension, centroidsPerSubspace);
    }

    private static long serializedBytes(int dimension, int centroidsPerSubspace) {
        return OFF_CENTROIDS + (long) Float.BYTES * centroidsPerSubspace * dimension + CRC_BYTES;
    }

    /**
     * Writes the serialized form (see the class documentation) at {@code out}'s position and advances it by
     * {@link #serializedBytes()}; {@code out}'s own byte order is ignored and left unchanged.
     *
     * @throws IllegalArgumentException if fewer than {@link #serializedBytes()} bytes remain (nothing is written)
     */
    public void writeTo(ByteBuffer out) {
        int size = serializedBytes();
        if (out.remaining() < size) {
            throw new IllegalArgumentException("the quantizer needs " + size + " bytes but the buffer has "
                    + out.remaining() + " remaining");
        }
        ByteBuffer b = out.slice(out.position(), size).order(BYTE_ORDER);
        b.putInt(OFF_MAGIC, MAGIC);
        b.putInt(OFF_VERSION, VERSION);
        b.putInt(OFF_DIMENSION, dimension);
        b.putInt(OFF_SUBSPACES, subspaces);
        b.putInt(OFF_CENTROIDS_PER_SUBSPACE, centroidsPerSubspace);
        b.putInt(OFF_METRIC, metric.code());
        b.slice(OFF_CENTROIDS, centroids.length * Float.BYTES).order(BYTE_ORDER).asFloatBuffer().put(centroids);
        int crcOffset = size - CRC_BYTES;
        b.putInt(crcOffset, crc(b, crcOffset));
        out.position(out.position() + size);
    }

    /**
     * Reads a quantizer written by {@link #writeTo} at {@code in}'s position and advances it past the serialized
     * form; on failure the position is unchanged. Every header field is range-checked and the checksum verified
     * before any centroid is trusted.
     *
     * @throws CorruptCodebookException on a wrong magic, an unknown version or metric, a field out of range, fewer
     *                                  bytes than the header announces, a checksum mismatch or a non-finite centroid
     */
    public static ProductQuantizer readFrom(ByteBuffer in) throws CorruptCodebookException {
        ByteBuffer b = in.slice().order(BYTE_ORDER);
        if (b.remaining() < OFF_CENTROIDS) {
            throw new CorruptCodebookException("truncated: the header needs " + OFF_CENTROIDS + " bytes but only "
                    + b.remaining() + " remain");
        }
        int magic = b.getInt(OFF_MAGIC);
        if (magic != MAGIC) {
            throw new CorruptCodebookException(String.format("bad magic 0x%08x (expected 0x%08x)", magic, MAGIC));
        }
        int version = b.getInt(OFF_VERSION);
        if (version > VERSION) {
            throw new CorruptCodebookException("version " + version + " is newer than the newest this mmgraph reads ("
                    + VERSION + ")");
        }
        if (version < 1) {
            throw new CorruptCodebookException("version " + version + " is not a version");
        }
        int dimension = b.getInt(OFF_DIMENSION);
        if (dimension < 1 || dimension > MAX_DIMENSION) {
            throw new CorruptCodebookException("dimension " + dimension + " is outside [1, " + MAX_DIMENSION + "]");
        }
        int subspaces = b.getInt(OFF_SUBSPACES);
        if (subspaces < 1 || subspaces > dimension) {
            throw new CorruptCodebookException("subspaces " + subspaces + " is outside [1, " + dimension + "]");
        }
        int k = b.getInt(OFF_CENTROIDS_PER_SUBSPACE);
        if (k < 1 || k > MAX_CENTROIDS) {
            throw new CorruptCodebookException("centroids per subspace " + k + " is outside [1, " + MAX_CENTROIDS
                    + "]");
        }
        int metricCode = b.getInt(OFF_METRIC);
        Metric metric = null;
        for (Metric m : Metric.values()) {
            if (m.code() == metricCode) {
                metric = m;
            }
        }
        if (metric == null) {
            throw new CorruptCodebookException("unknown metric code " + metricCode);
        }
        long size = serializedBytes(dimension, k);
        if (b.remaining() < size) {
            throw new CorruptCodebookException("truncated: d=" + dimension + " with " + k
                    + " centroids per subspace needs " + size + " bytes but only " + b.remaining() + " remain");
        }
        int crcOffset = (int) size - CRC_BYTES;
        int stored = b.getInt(crcOffset);
        int actual = crc(b, crcOffset);
        if (stored != actual) {
            throw new CorruptCodebookException(String.format("checksum mismatch: stored 0x%08x, computed 0x%08x",
                    stored, actual));
        }
        float[] centroids = new float[k * dimension];
        b.slice(OFF_CENTROIDS, centroids.length * Float.BYTES).order(BYTE_ORDER).asFloatBuffer().get(centroids);
        for (int i = 0; i < centroids.length; i++) {
            if (!Float.isFinite(centroids[i])) {
                throw new CorruptCodebookException("centroid float " + i + " is " + centroids[i]);
            }
        }
        in.position(in.position() + (int) size);
        return new ProductQuantizer(dimension, subspaces, k, metric, centroids);
    }

    /** CRC32C of bytes [0, length) of {@code b}, as an int. */
    private static int crc(ByteBuffer b, int length) {
        CRC32C crc = new CRC32C();
        crc.update(b.slice(0, length));
        return (int) crc.getValue();
    }

    @Override
    public String toString() {
        return "ProductQuantizer[d=" + dimension + ", M=" + subspaces + ", k*=" + centroidsPerSubspace + ", " + metric
                + "]";
    }
}
