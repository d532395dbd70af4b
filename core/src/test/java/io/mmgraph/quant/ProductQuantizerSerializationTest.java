package io.mmgraph.quant;

import io.mmgraph.TestSeeds;
import io.mmgraph.vector.Metric;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32C;

import static io.mmgraph.quant.ProductQuantizerTest.encode;
import static io.mmgraph.quant.ProductQuantizerTest.gaussians;
import static io.mmgraph.quant.ProductQuantizerTest.serialize;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The serialized form of {@link ProductQuantizer}: a round trip is exact, and every truncation, every single bit
 * flip and every out-of-range header field is refused with {@link CorruptCodebookException}.
 */
class ProductQuantizerSerializationTest {

    /** A small quantizer (uneven subspaces, fewer than 256 centroids) so that every byte can be damaged in turn. */
    private static ProductQuantizer small(Random r, Metric metric) {
        return ProductQuantizer.train(gaussians(r, 40, 7), 3, metric, r.nextLong(), 5);
    }

    private static ProductQuantizer read(byte[] bytes) throws CorruptCodebookException {
        return ProductQuantizer.readFrom(ByteBuffer.wrap(bytes));
    }

    /** {@code bytes} with the int at {@code offset} replaced and the trailing checksum recomputed. */
    private static byte[] withField(byte[] bytes, int offset, int value) {
        byte[] out = bytes.clone();
        ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(offset, value);
        CRC32C crc = new CRC32C();
        crc.update(out, 0, out.length - 4);
        b.putInt(out.length - 4, (int) crc.getValue());
        return out;
    }

    private static void assertRefused(byte[] bytes, String messagePart) {
        CorruptCodebookException e = assertThrows(CorruptCodebookException.class, () -> read(bytes));
        assertTrue(e.getMessage().contains(messagePart), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(Metric.class)
    void aRoundTripIsExact(Metric metric) throws Exception {
        Random r = TestSeeds.random("ProductQuantizerSerializationTest.aRoundTripIsExact." + metric);
        ProductQuantizer pq = ProductQuantizer.train(gaussians(r, 700, 30), 7, metric, r.nextLong(), 6);
        byte[] bytes = serialize(pq);
        assertEquals(24 + 4 * 256 * 30 + 4, bytes.length);
        assertEquals(ProductQuantizer.MAGIC, ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getInt(0));
        assertEquals("MMPQ", new String(bytes, 0, 4, java.nio.charset.StandardCharsets.US_ASCII));

        // Written amid other bytes, into a big-endian buffer: the quantizer's bytes are the same and the position moves
        // by exactly its size, both ways.
        ByteBuffer big = ByteBuffer.allocate(bytes.length + 20).order(ByteOrder.BIG_ENDIAN);
        big.position(7);
        pq.writeTo(big);
        assertEquals(7 + bytes.length, big.position());
        assertEquals(ByteOrder.BIG_ENDIAN, big.order());
        assertArrayEquals(bytes, Arrays.copyOfRange(big.array(), 7, 7 + bytes.length));
        big.position(7);
        ProductQuantizer back = ProductQuantizer.readFrom(big);
        assertEquals(7 + bytes.length, big.position());

        assertArrayEquals(bytes, serialize(back));
        assertEquals(pq.dimension(), back.dimension());
        assertEquals(pq.subspaces(), back.subspaces());
        assertEquals(pq.centroidsPerSubspace(), back.centroidsPerSubspace());
        assertEquals(metric, back.metric());
        for (float[] v : gaussians(r, 50, 30)) {
            byte[] code = encode(pq, v);
            assertArrayEquals(code, encode(back, v));
            assertArrayEquals(pq.decode(code, 0), back.decode(code, 0));
            assertArrayEquals(pq.distanceTable(v), back.distanceTable(v));
        }
    }

    @Test
    void aTooSmallBufferIsRefusedBeforeAnythingIsWritten() {
        ProductQuantizer pq = small(new Random(5), Metric.L2);
        ByteBuffer b = ByteBuffer.allocate(pq.serializedBytes() - 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pq.writeTo(b));
        assertTrue(e.getMessage().contains(Integer.toString(pq.serializedBytes())), e.getMessage());
        assertEquals(0, b.position());
        assertArrayEquals(new byte[b.capacity()], b.array());
    }

    @Test
    void everyTruncationIsRefusedAndLeavesThePosition() {
        Random r = TestSeeds.random("ProductQuantizerSerializationTest.everyTruncationIsRefusedAndLeavesThePosition");
        byte[] bytes = serialize(small(r, Metric.L2));
        for (int length = 0; length < bytes.length; length++) {
            ByteBuffer cut = ByteBuffer.wrap(bytes, 0, length);
            CorruptCodebookException e = assertThrows(CorruptCodebookException.class,
                    () -> ProductQuantizer.readFrom(cut), "length " + length);
            assertTrue(e.getMessage().contains("truncated"), e.getMessage());
            assertEquals(0, cut.position());
        }
    }

    @Test
    void everyBitFlipIsRefused() {
        Random r = TestSeeds.random("ProductQuantizerSerializationTest.everyBitFlipIsRefused");
        for (Metric metric : Metric.values()) {
            byte[] bytes = serialize(small(r, metric));
            for (int bit = 0; bit < bytes.length * 8; bit++) {
                byte[] flipped = bytes.clone();
                flipped[bit >>> 3] ^= (byte) (1 << (bit & 7));
                assertThrows(CorruptCodebookException.class, () -> read(flipped), metric + " bit " + bit);
            }
        }
    }

    @Test
    void headerFieldsOutOfRangeAreRefusedEvenWithAValidChecksum() {
        byte[] bytes = serialize(small(new Random(6), Metric.DOT));
        assertRefused(withField(bytes, ProductQuantizer.OFF_MAGIC, 0x46474D4D), "bad magic 0x46474d4d");
        assertRefused(withField(bytes, ProductQuantizer.OFF_VERSION, 2), "version 2 is newer");
        assertRefused(withField(bytes, ProductQuantizer.OFF_VERSION, 0), "version 0");
        assertRefused(withField(bytes, ProductQuantizer.OFF_DIMENSION, 0), "dimension 0");
        assertRefused(withField(bytes, ProductQuantizer.OFF_DIMENSION, -7), "dimension -7");
        assertRefused(withField(bytes, ProductQuantizer.OFF_DIMENSION, 8), "truncated");
        assertRefused(withField(bytes, ProductQuantizer.OFF_SUBSPACES, 0), "subspaces 0");
        assertRefused(withField(bytes, ProductQuantizer.OFF_SUBSPACES, 8), "subspaces 8");
        assertRefused(withField(bytes, ProductQuantizer.OFF_CENTROIDS_PER_SUBSPACE, 257), "centroids per subspace");
        assertRefused(withField(bytes, ProductQuantizer.OFF_CENTROIDS_PER_SUBSPACE, 0), "centroids per subspace");
        assertRefused(withField(bytes, ProductQuantizer.OFF_METRIC, 9), "unknown metric code 9");
        assertRefused(withField(bytes, ProductQuantizer.OFF_CENTROIDS + 8, Float.floatToRawIntBits(Float.NaN)),
                "centroid float 2 is NaN");
        byte[] badCrc = bytes.clone();
        badCrc[badCrc.length - 1] ^= 1;
        assertRefused(badCrc, "checksum mismatch");
        assertRefused(new byte[0], "truncated");
    }

    @Test
    void fewerCentroidsShortenTheSerializedForm() throws Exception {
        ProductQuantizer pq = small(new Random(8), Metric.COSINE);
        assertEquals(40, pq.centroidsPerSubspace());
        assertEquals(24 + 4 * 40 * 7 + 4, pq.serializedBytes());
        byte[] bytes = serialize(pq);
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 5);
        ByteBuffer in = ByteBuffer.wrap(longer);
        assertArrayEquals(bytes, serialize(ProductQuantizer.readFrom(in)));
        assertEquals(5, in.remaining(), "trailing bytes are not consumed");
    }
}
