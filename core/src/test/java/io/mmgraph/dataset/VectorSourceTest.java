package io.mmgraph.dataset;

import io.mmgraph.TestSeeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link VectorFiles#open}: .npy (as numpy.save writes it) and .csv/.tsv read back what was written, or say why not. */
class VectorSourceTest {
    @TempDir
    Path tmp;

    /** The bytes numpy.save writes for a 2-d array: magic, version, header padded so the data starts 64-aligned. */
    static byte[] npy(int major, String descr, boolean fortran, String shape, byte[] data) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': ("
                + shape + "), }";
        int prefix = major == 1 ? 10 : 12;
        int padded = (prefix + dict.length() + 1 + 63) / 64 * 64 - prefix;
        String header = dict + " ".repeat(padded - dict.length() - 1) + "\n";
        ByteBuffer b = ByteBuffer.allocate(prefix + padded + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        if (major == 1) {
            b.putShort((short) padded);
        } else {
            b.putInt(padded);
        }
        b.put(header.getBytes(StandardCharsets.ISO_8859_1)).put(data);
        return b.array();
    }

    private static float[][] random(Random r, int n, int d) {
        float[][] v = new float[n][d];
        for (float[] row : v) {
            for (int j = 0; j < d; j++) {
                row[j] = (float) r.nextGaussian();
            }
        }
        return v;
    }

    private static byte[] floats(float[][] rows, ByteOrder order, boolean doubles) {
        ByteBuffer b = ByteBuffer.allocate(rows.length * rows[0].length * (doubles ? 8 : 4)).order(order);
        for (float[] row : rows) {
            for (float x : row) {
                if (doubles) {
                    b.putDouble(x);
                } else {
                    b.putFloat(x);
                }
            }
        }
        return b.array();
    }

    private float[][] readAll(Path file) throws IOException {
        try (VectorSource s = VectorFiles.open(file)) {
            float[][] out = new float[(int) s.count()][];
            for (int i = 0; i < out.length; i++) {
                assertTrue(s.hasNext());
                out[i] = s.next();
            }
            assertFalse(s.hasNext());
            return out;
        }
    }

    @Test
    void npyFloat32Float64AndUint8InEitherByteOrderAndHeaderVersion() throws IOException {
        Random r = TestSeeds.random("VectorSourceTest.npy");
        float[][] rows = random(r, 37, 5);
        Path le = Files.write(tmp.resolve("le.npy"), npy(1, "<f4", false, "37, 5", floats(rows, ByteOrder.LITTLE_ENDIAN, false)));
        Path be = Files.write(tmp.resolve("be.npy"), npy(2, ">f4", false, "37, 5", floats(rows, ByteOrder.BIG_ENDIAN, false)));
        Path f8 = Files.write(tmp.resolve("f8.npy"), npy(3, "<f8", false, "37, 5", floats(rows, ByteOrder.LITTLE_ENDIAN, true)));
        for (Path p : new Path[] {le, be, f8}) {
            float[][] back = readAll(p);
            assertEquals(37, back.length, p.toString());
            for (int i = 0; i < 37; i++) {
                assertArrayEquals(rows[i], back[i], p + " row " + i);
            }
        }
        byte[] bytes = {0, 1, (byte) 200, (byte) 255, 7, 9};
        float[][] u8 = readAll(Files.write(tmp.resolve("u8.npy"), npy(1, "|u1", false, "2, 3", bytes)));
        assertArrayEquals(new float[] {0, 1, 200}, u8[0]);
        assertArrayEquals(new float[] {255, 7, 9}, u8[1]);
        assertEquals(0, readAll(Files.write(tmp.resolve("empty.npy"), npy(1, "<f4", false, "0, 4", new byte[0]))).length);
    }

    @Test
    void npyThatIsNotAMatrixOfNumbersIsRefusedByName() throws IOException {
        byte[] data = new byte[4 * 6];
        String[][] cases = {
                {"<f4", "False", "24,", "shape (24,)"},
                {"<f4", "False", "2, 3, 4", "shape (2, 3, 4)"},
                {"<f4", "True", "2, 3", "Fortran"},
                {"<i8", "False", "2, 3", "not float32, float64 or uint8"},
                {"<f4", "False", "9, 3", "shorter than"},
        };
        for (String[] c : cases) {
            Path p = Files.write(tmp.resolve("bad.npy"), npy(1, c[0], c[1].equals("True"), c[2], data));
            MalformedVectorFileException e = assertThrows(MalformedVectorFileException.class, () -> readAll(p));
            assertTrue(e.getMessage().contains(c[3]) && e.getMessage().contains("bad.npy"), e.getMessage());
        }
        Path notNpy = Files.write(tmp.resolve("x.npy"), "hello, this is text".getBytes(StandardCharsets.UTF_8));
        assertTrue(assertThrows(MalformedVectorFileException.class, () -> readAll(notNpy)).getMessage()
                .contains("magic"));
        Path cut = Files.write(tmp.resolve("cut.npy"), new byte[] {(byte) 0x93, 'N', 'U'});
        assertThrows(MalformedVectorFileException.class, () -> readAll(cut));
    }

    @Test
    void csvAndTsvWithAHeaderAndBlankLinesReadBack() throws IOException {
        Random r = TestSeeds.random("VectorSourceTest.csv");
        float[][] rows = random(r, 20, 4);
        StringBuilder csv = new StringBuilder("a,b,c,d\n");
        StringBuilder tsv = new StringBuilder();
        for (float[] row : rows) {
            csv.append(row[0]).append(", ").append(row[1]).append(',').append(row[2]).append(',').append(row[3])
                    .append("\n\n");
            tsv.append(row[0]).append('\t').append(row[1]).append('\t').append(row[2]).append('\t').append(row[3])
                    .append('\n');
        }
        for (Path p : new Path[] {Files.writeString(tmp.resolve("v.csv"), csv), Files.writeString(tmp.resolve("v.tsv"), tsv)}) {
            float[][] back = readAll(p);
            assertEquals(20, back.length);
            for (int i = 0; i < 20; i++) {
                assertArrayEquals(rows[i], back[i], p + " row " + i);
            }
        }
    }

    @Test
    void aByteOrderMarkAndPandasColumnNumbersAreNotTakenForAVector() throws IOException {
        Path bom = Files.writeString(tmp.resolve("bom.csv"), "\uFEFF1.5,2,3\r\n4,5,6\r\n");
        float[][] back = readAll(bom);
        assertEquals(2, back.length, "the byte-order mark hid no vector");
        assertArrayEquals(new float[] {1.5f, 2, 3}, back[0]);
        Path pandas = Files.writeString(tmp.resolve("pandas.csv"), "0,1,2\n7,8,9\n");
        back = readAll(pandas);
        assertEquals(1, back.length, "0,1,2 is pandas' header");
        assertArrayEquals(new float[] {7, 8, 9}, back[0]);
        assertEquals(2, readAll(Files.writeString(tmp.resolve("two.csv"), "0,2,1\n7,8,9\n")).length);
    }

    @Test
    void csvLinesThatDisagreeAreNamed() throws IOException {
        Path ragged = Files.writeString(tmp.resolve("r.csv"), "1,2,3\n4,5\n");
        assertTrue(assertThrows(MalformedVectorFileException.class, () -> readAll(ragged)).getMessage()
                .contains("line 2 has 2 components, the first had 3"));
        Path text = Files.writeString(tmp.resolve("t.csv"), "1,2,3\n4,x,6\n");
        assertTrue(assertThrows(MalformedVectorFileException.class, () -> readAll(text)).getMessage()
                .contains("line 2, component 1: 'x' is not a number"));
        Path unknown = Files.writeString(tmp.resolve("v.json"), "[]");
        assertTrue(assertThrows(MalformedVectorFileException.class, () -> VectorFiles.open(unknown)).getMessage()
                .contains("unknown extension"));
    }
}
