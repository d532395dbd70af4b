package io.mmgraph.index;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A reader's {@link MMapGraph#refresh()} found the index compacted since it was opened: the vectors were numbered
 * anew in files of a new generation. The reader goes on searching what it mapped, unchanged; to see the compacted
 * index and what was committed since, close it and open the index again.
 */
public class IndexCompactedException extends IOException {
    public IndexCompactedException(Path dir, int fromGeneration, int toGeneration) {
        super("index " + dir + " was compacted (generation " + fromGeneration + " -> " + toGeneration
                + ") since this reader opened it; reopen it to see the compacted index");
    }
}
