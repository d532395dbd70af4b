package io.mmgraph.dataset;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Streams the rows of a two-dimensional NumPy array saved with {@code numpy.save} (format versions 1 to 3, see
 * numpy.lib.format): the magic {@code \x93NUMPY}, a version, a header length (2 bytes in version 1, 4 after), a
 * header that is a Python dict literal naming {@code descr}, {@code fortran_order} and {@code shape}, then the data.
 * Row-major arrays of float32, float64 (narrowed to float) or uint8, in either byte order, are read; anything else is
 * refused with a {@link MalformedVectorFileException} naming what was found.
 */
final class NpyReader implements VectorSource {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=])([fuib])(\\d+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private final Path file;
    private final DataInputStream in;
    private final int dimension;
    private final long count;
    private final char type;
    private final int componentBytes;
    private final ByteOrder order;
    private final byte[] row;
    private long read;

    NpyReader(Path file) throws IOException {
        this.file = file;
        long size = Files.size(file);
        this.in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
        try {
            byte[] magic = new byte[MAGIC.length];
            readHeaderBytes(magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new MalformedVectorFileException(file, "not a NumPy .npy file (no \\x93NUMPY magic)");
            }
            byte[] version = new byte[2];
            readHeaderBytes(version);
            int major = version[0] & 0xFF;
            long headerLength;
            int prefix;
            if (major == 1) {
                byte[] length = new byte[2];
                readHeaderBytes(length);
                headerLength = (length[0] & 0xFF) | (length[1] & 0xFF) << 8;
                prefix = 10;
            } else if (major == 2 || major == 3) {
                byte[] length = new byte[4];
                readHeaderBytes(length);
                headerLength = ByteBuffer.wrap(length).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFF_FFFFL;
                prefix = 12;
            } else {
                throw new MalformedVectorFileException(file, ".npy format version " + major + " is not supported");
            }
            if (headerLength > 1 << 20 || prefix + headerLength > size) {
                throw new MalformedVectorFileException(file, ".npy header of " + headerLength + " bytes does not fit");
            }
            byte[] headerBytes = new byte[(int) headerLength];
            readHeaderBytes(headerBytes);
            String header = new String(headerBytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
            Matcher descr = DESCR.matcher(header);
            Matcher fortran = FORTRAN.matcher(header);
            Matcher shape = SHAPE.matcher(header);
            if (!descr.find() || !fortran.find() || !shape.find()) {
                throw new MalformedVectorFileException(file, ".npy header lacks descr, fortran_order or shape: "
                        + header.strip());
            }
            type = descr.group(2).charAt(0);
            componentBytes = Integer.parseInt(descr.group(3));
            boolean supported = (type == 'f' && (componentBytes == 4 || componentBytes == 8))
                    || (type == 'u' && componentBytes == 1);
            if (!supported) {
                throw new MalformedVectorFileException(file, ".npy element type " + descr.group(1) + type
                        + componentBytes + " is not float32, float64 or uint8");
            }
            order = descr.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
            if (fortran.group(1).equals("True")) {
                throw new MalformedVectorFileException(file, ".npy array is in Fortran (column-major) order; save it "
                        + "with numpy.ascontiguousarray first");
            }
            String[] dims = shape.group(1).split(",");
            if (dims.length < 2 || dims[1].isBlank() || (dims.length > 2 && !dims[2].isBlank())) {
                throw new MalformedVectorFileException(file, ".npy array has shape (" + shape.group(1)
                        + "); expected (count, dimension)");
            }
            count = Long.parseLong(dims[0].strip());
            long d = Long.parseLong(dims[1].strip());
            if (d < 1 || d > VectorFiles.MAX_FILE_DIMENSION || count < 0) {
                throw new MalformedVectorFileException(file, ".npy array has shape (" + shape.group(1) + ")");
            }
            dimension = (int) d;
            long dataBytes;
            try {
                dataBytes = Math.multiplyExact(count, (long) dimension * componentBytes);
            } catch (ArithmeticException e) {
                dataBytes = Long.MAX_VALUE; // an absurd shape: reported as longer than the file
            }
            long need = dataBytes > Long.MAX_VALUE - prefix - headerLength ? Long.MAX_VALUE
                    : prefix + headerLength + dataBytes;
            if (size < need) {
                throw new MalformedVectorFileException(file, "size " + size + " is shorter than the " + need
                        + " bytes its header announces (truncated?)");
            }
            row = new byte[dimension * componentBytes];
        } catch (IOException | RuntimeException e) {
            in.close();
            if (e instanceof NumberFormatException) {
                throw new MalformedVectorFileException(file, ".npy shape is not a pair of integers");
            }
            throw e;
        }
    }

    private void readHeaderBytes(byte[] into) throws IOException {
        try {
            in.readFully(into);
        } catch (EOFException e) {
            throw new MalformedVectorFileException(file, "file ends inside the .npy header");
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

    @Override
    public void next(float[] into) throws IOException {
        try {
            in.readFully(row);
        } catch (EOFException e) {
            throw new MalformedVectorFileException(file, "row " + read + " is cut short");
        }
        ByteBuffer b = ByteBuffer.wrap(row).order(order);
        for (int j = 0; j < dimension; j++) {
            into[j] = switch (componentBytes) {
                case 4 -> b.getFloat(4 * j);
                case 8 -> (float) b.getDouble(8 * j);
                default -> row[j] & 0xFF;
            };
        }
        read++;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
