package io.mmgraph.cli;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Node;
import io.mmgraph.dataset.MalformedVectorFileException;
import io.mmgraph.dataset.VectorFiles;
import io.mmgraph.dataset.VectorSource;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Streams the rows of a two-dimensional float or double dataset of an HDF5 file (ann-benchmarks' layout keeps the
 * base vectors in {@code train}), reading {@link #ROWS} rows at a time so that a file larger than the heap imports.
 */
final class Hdf5VectorSource implements VectorSource {
    static final int ROWS = 4096;

    private final Path file;
    private final HdfFile hdf;
    private final Dataset dataset;
    private final int dimension;
    private final long count;
    private Object rows;
    private int rowsRead;
    private int rowsHeld;
    private long read;

    Hdf5VectorSource(Path file, String name) throws IOException {
        this.file = file;
        try {
            this.hdf = new HdfFile(file);
        } catch (RuntimeException e) {
            throw new MalformedVectorFileException(file, "not a readable HDF5 file: " + e.getMessage());
        }
        try {
            Node node;
            try {
                node = hdf.getByPath(name); // a top-level name, or a path into groups
            } catch (RuntimeException e) {
                node = null;
            }
            if (!(node instanceof Dataset d)) {
                throw new MalformedVectorFileException(file, "no dataset '" + name + "' (ann-benchmarks keeps the base "
                        + "vectors in 'train'; choose another with --dataset)");
            }
            int[] dims = d.getDimensions();
            Class<?> type = d.getJavaType();
            if (dims.length != 2 || (type != float.class && type != double.class)) {
                throw new MalformedVectorFileException(file, "dataset '" + name + "' is not a 2-d float or double array "
                        + "(" + java.util.Arrays.toString(dims) + " of " + type.getSimpleName() + ")");
            }
            if (dims[1] < 1 || dims[1] > VectorFiles.MAX_FILE_DIMENSION) {
                throw new MalformedVectorFileException(file, "dataset '" + name + "' has dimension " + dims[1]);
            }
            this.dataset = d;
            this.count = dims[0];
            this.dimension = dims[1];
        } catch (IOException | RuntimeException e) {
            hdf.close();
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

    @Override
    public void next(float[] into) throws IOException {
        if (rowsRead == rowsHeld) {
            int n = (int) Math.min(ROWS, count - read);
            try {
                rows = dataset.getData(new long[] {read, 0}, new int[] {n, dimension});
            } catch (RuntimeException e) {
                throw new MalformedVectorFileException(file, "rows " + read + ".." + (read + n) + ": " + e.getMessage());
            }
            rowsHeld = n;
            rowsRead = 0;
        }
        if (rows instanceof float[][] f) {
            System.arraycopy(f[rowsRead], 0, into, 0, dimension);
        } else {
            double[] d = ((double[][]) rows)[rowsRead];
            for (int j = 0; j < dimension; j++) {
                into[j] = (float) d[j];
            }
        }
        rowsRead++;
        read++;
    }

    @Override
    public void close() {
        hdf.close();
    }
}
