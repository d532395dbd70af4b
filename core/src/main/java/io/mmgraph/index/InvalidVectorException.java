package io.mmgraph.index;

/** A vector has a NaN or infinite component, or (for cosine) no direction. Nothing was stored. */
public class InvalidVectorException extends IllegalArgumentException {
    public InvalidVectorException(String message) {
        super(message);
    }
}
