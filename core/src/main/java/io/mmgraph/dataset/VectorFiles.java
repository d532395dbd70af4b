package io.mmgraph.dataset;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The TEXMEX vector file formats used by SIFT1M and ann-benchmarks' tooling. Each record is a little-endian int32
 * dimension {@code d} followed by {@code d} components: float32 ({@code .fvecs}), uint8 ({@code .bvecs}) or int32
 * ({@code .ivecs}, e.g. ground-truth neighbour ids). Every record of a file has the same dimension.
 */
public final class VectorFiles {
    private VectorFiles() {}

    /** Largest dimension accepted from a file: anything bigger is taken for a wrong format. */
    public static final int MAX_FILE_DIMENSION = 1 << 16;

    /** Component type of a vector file, from its extension. */
    public enum Kind {
        FVECS(4), BVECS(1), IVECS(4);

        final int componentBytes;

        Kind(int componentBytes) {
            this.componentBytes = componentBytes;
        }

        public static Kind of(Path file) throws IOException {
            String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
            if (name.endsWith(".fvecs")) {
                return FVECS;
            }
            if (name.endsWith(".bvecs")) {
                return BVECS;
            }
            if (name.endsWith(".ivecs")) {
                return IVECS;
            }
            throw new MalformedVectorFileException(file, "unknown extension (expected .fvecs, .bvecs, .ivecs, .npy, .csv or .tsv; the CLI also reads .hdf5)");
        }
    }

    /**
     * Streams float vectors from an {@code .fvecs} or {@code .bvecs} file (bytes widened to floats). The dimension
     * and count are known on open from the first record and the file size; a file whose size is not a whole number
     * of records, or whose records disagree on dimension, is refused.
     */
    public static final class Reader implements VectorSource {
        private final Path file;
        private final Kind kind;
        private final DataInputStream in;
        private final int dimension;
        private final long count;
        private final byte[] record;
        private long read;

        public Reader(Path file) throws IOException {
            this.file = file;
            this.kind = Kind.of(file);
            if (kind == Kind.IVECS) {
                throw new MalformedVectorFileException(file, ".ivecs holds ids, not vectors");
            }
            long size = Files.size(file);
            this.in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
            try {
                if (size == 0) {
                    dimension = 0;
                    count = 0;
                    record = new byte[0];
                    return;
                }
                if (size < 4) {
                    throw new MalformedVectorFileException(file, "file of " + size + " bytes is shorter than one header");
                }
                in.mark(4);
                int d = Integer.reverseBytes(in.readInt());
                in.reset();
                if (d < 1 || d > MAX_FILE_DIMENSION) {
                    throw new MalformedVectorFileException(file, "first record has dimension " + d
                            + " (wrong format or byte order?)");
                }
                long recordBytes = 4 + (long) d * kind.componentBytes;
                if (size % recordBytes != 0) {
                    throw new MalformedVectorFileException(file, "size " + size + " is not a multiple of the record size "
                            + recordBytes + " for dimension " + d + " (truncated?)");
                }
                dimension = d;
                count = size / recordBytes;
                record = new byte[(int) recordBytes];
            } catch (IOException | RuntimeException e) {
                in.close();
                throw e;
            }
        }

        @Override
        public int dimension() {
            return dimension;
        }

        @Override
        public long count() {
            return count;
        }

        @Override
        public boolean hasNext() {
            return read < count;
        }

        /** Reads the next vector into {@code into}. */
        @Override
        public void next(float[] into) throws IOException {
            try {
                in.readFully(record);
            } catch (EOFException e) {
                throw new MalformedVectorFileException(file, "record " + read + " is cut short");
            }
            ByteBuffer b = ByteBuffer.wrap(record).order(ByteOrder.LITTLE_ENDIAN);
            int d = b.getInt(0);
            if (d != dimension) {
                throw new MalformedVectorFileException(file, "record " + read + " has dimension " + d
                        + ", the first had " + dimension);
            }
            if (kind == Kind.FVECS) {
                b.position(4).asFloatBuffer().get(into, 0, dimension);
            } else {
                for (int i = 0; i < dimension; i++) {
                    into[i] = record[4 + i] & 0xFF;
                }
            }
            read++;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /**
     * Opens a file of vectors by its extension: {@code .fvecs} and {@code .bvecs} (the TEXMEX format), {@code .npy}
     * (a two-dimensional NumPy array of float32, float64 or uint8), {@code .csv} or {@code .tsv} (one vector per
     * line). HDF5 files are read by the CLI, which has a library for them.
     */
    public static VectorSource open(Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".npy")) {
            return new NpyReader(file);
        }
        if (name.endsWith(".csv")) {
            return new CsvVectorReader(file, ',');
        }
        if (name.endsWith(".tsv")) {
            return new CsvVectorReader(file, '\t');
        }
        return new Reader(file);
    }

    /** Reads a whole .fvecs/.bvecs file into memory. */
    public static float[][] readAll(Path file) throws IOException {
        try (Reader r = new Reader(file)) {
            if (r.count() > Integer.MAX_VALUE - 8) {
                throw new MalformedVectorFileException(file, r.count() + " vectors are too many to load into memory");
            }
            float[][] out = new float[(int) r.count()][];
            for (int i = 0; i < out.length; i++) {
                out[i] = r.next();
            }
            return out;
        }
    }

    /** Reads an .ivecs file (rows of ints, e.g. ground-truth ids; rows may differ in length). */
    public static int[][] readIvecs(Path file) throws IOException {
        List<int[]> rows = new ArrayList<>();
        long size = Files.size(file);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            long at = 0;
            while (at < size) {
                if (size - at < 4) {
                    throw new MalformedVectorFileException(file, "row " + rows.size() + " header is cut short");
                }
                int d = Integer.reverseBytes(in.readInt());
                if (d < 0 || d > MAX_FILE_DIMENSION || size - at - 4 < 4L * d) {
                    throw new MalformedVectorFileException(file, "row " + rows.size() + " claims " + d
                            + " ids but the file does not hold them");
                }
                int[] row = new int[d];
                for (int i = 0; i < d; i++) {
                    row[i] = Integer.reverseBytes(in.readInt());
                }
                rows.add(row);
                at += 4 + 4L * d;
            }
        }
        return rows.toArray(new int[0][]);
    }

    /** Writes float vectors as .fvecs. */
    public static void writeFvecs(Path file, Iterable<float[]> vectors) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            for (float[] v : vectors) {
                writeFvec(out, v);
            }
        }
    }

    /** Appends one .fvecs record to a stream. */
    public static void writeFvec(OutputStream out, float[] v) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(v.length);
        b.asFloatBuffer().put(v);
        out.write(b.array());
    }

    /** Writes int rows as .ivecs. */
    public static void writeIvecs(Path file, int[][] rows) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            for (int[] row : rows) {
                ByteBuffer b = ByteBuffer.allocate(4 + 4 * row.length).order(ByteOrder.LITTLE_ENDIAN);
                b.putInt(row.length);
                b.asIntBuffer().put(row);
                out.write(b.array());
            }
        }
    }
}
