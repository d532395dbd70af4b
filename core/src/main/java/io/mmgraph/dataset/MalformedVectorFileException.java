package io.mmgraph.dataset;

import java.io.IOException;
import java.nio.file.Path;

/** An input vector file (.fvecs, .bvecs, .ivecs) is not what its extension says: bad dimension or short record. */
public class MalformedVectorFileException extends IOException {
    public MalformedVectorFileException(Path file, String detail) {
        super("malformed vector file " + file + ": " + detail);
    }
}
