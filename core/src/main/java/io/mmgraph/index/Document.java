package io.mmgraph.index;

/**
 * What an id names: its vector's ordinal (read the vector with {@link MMapGraph#vector}) and the payload stored with
 * it (null: none).
 */
public record Document(String id, int ordinal, String payload) {}
