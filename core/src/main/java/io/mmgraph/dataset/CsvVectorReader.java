package io.mmgraph.dataset;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Streams vectors from a text file of one vector per line, components separated by commas (or, in a {@code .tsv}
 * file, tabs); blank lines and a leading byte-order mark are skipped. The first line is taken for a header and skipped
 * when a field of it is not a number, or when it is exactly {@code 0,1,…,d-1} (the column names pandas writes with
 * {@code to_csv(index=False)}). Write without an index column: it would be read as a component.
 * The count is found by a first pass over the file (sequential, cheap next to the import it precedes). A line with a
 * different number of components, or one that is not a number, is a {@link MalformedVectorFileException} naming
 * the line.
 */
final class CsvVectorReader implements VectorSource {
    private final Path file;
    private final String separator;
    private final BufferedReader in;
    private final int dimension;
    private final long count;
    private String nextLine;
    private long lineNumber;

    CsvVectorReader(Path file, char separator) throws IOException {
        this.file = file;
        this.separator = java.util.regex.Pattern.quote(String.valueOf(separator));
        long lines = 0;
        int d = 0;
        boolean header = false;
        try (BufferedReader scan = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line; (line = scan.readLine()) != null; ) {
                if (line.isBlank()) {
                    continue;
                }
                if (lines == 0 && d == 0) {
                    String[] fields = stripBom(line).split(this.separator, -1);
                    d = fields.length;
                    header = isHeader(fields);
                    if (header) {
                        continue;
                    }
                }
                lines++;
            }
        }
        this.dimension = d;
        this.count = lines;
        this.in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        if (header) {
            advance();
        }
        advance();
    }

    private static boolean isHeader(String[] fields) {
        boolean columnNumbers = true;
        for (int j = 0; j < fields.length; j++) {
            String f = fields[j].strip();
            try {
                Float.parseFloat(f);
            } catch (NumberFormatException e) {
                return true;
            }
            columnNumbers &= f.equals(Integer.toString(j));
        }
        return columnNumbers && fields.length > 1;
    }

    private static String stripBom(String line) {
        return line.startsWith("\uFEFF") ? line.substring(1) : line;
    }

    private void advance() throws IOException {
        do {
            nextLine = in.readLine();
            lineNumber++;
            if (lineNumber == 1 && nextLine != null) {
                nextLine = stripBom(nextLine);
            }
        } while (nextLine != null && nextLine.isBlank());
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
        return nextLine != null;
    }

    @Override
    public void next(float[] into) throws IOException {
        if (nextLine == null) {
            throw new java.util.NoSuchElementException("no more vectors in " + file);
        }
        String[] fields = nextLine.split(separator, -1);
        if (fields.length != dimension) {
            throw new MalformedVectorFileException(file, "line " + lineNumber + " has " + fields.length
                    + " components, the first had " + dimension);
        }
        for (int j = 0; j < dimension; j++) {
            try {
                into[j] = Float.parseFloat(fields[j].strip());
            } catch (NumberFormatException e) {
                throw new MalformedVectorFileException(file, "line " + lineNumber + ", component " + j + ": '"
                        + fields[j].strip() + "' is not a number");
            }
        }
        advance();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
