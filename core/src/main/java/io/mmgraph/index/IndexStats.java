package io.mmgraph.index;

import java.util.Map;

/**
 * A snapshot of an index's figures.
 *
 * @param count          published vectors (searchable in this process)
 * @param committedCount vectors in the last commit this process knows (durable, visible to other processes)
 * @param sequence       the manifest sequence of that commit
 * @param fileBytes      size on disk of each file, by file name
 * @param mappedExtents  extents mapped by this process, over all files
 * @param kernels        the distance kernels in use
 * @param cleanShutdown  whether the last writer closed cleanly (false while a writer has the index open)
 * @param deletedCount   vectors deleted, as this process sees them (a writer: including uncommitted deletions)
 * @param committedDeletes deletions in the last commit this process knows
 */
public record IndexStats(int count, long committedCount, int dimension, String metric, int maxDegree, long sequence,
                         String mode, Map<String, Long> fileBytes, int mappedExtents, String kernels,
                         boolean cleanShutdown, long deletedCount, long committedDeletes) {
    public long totalBytes() {
        return fileBytes.values().stream().mapToLong(Long::longValue).sum();
    }
}
