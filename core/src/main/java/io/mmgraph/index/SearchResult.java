package io.mmgraph.index;

import java.util.List;

/**
 * @param neighbors            nearest first
 * @param distanceComputations distances computed: the search's cost (N for an exact search)
 */
public record SearchResult(List<Neighbor> neighbors, int distanceComputations) {
    public SearchResult {
        neighbors = List.copyOf(neighbors);
    }
}
