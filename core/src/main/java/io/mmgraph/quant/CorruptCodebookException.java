package io.mmgraph.quant;

import java.io.IOException;

/**
 * Serialized product-quantizer bytes are not what {@link ProductQuantizer#readFrom} expects: wrong magic, a version
 * this build cannot read, a field out of range, too few bytes, or a checksum mismatch. Whoever read the bytes from a
 * file should name that file when reporting it (e.g. as the cause of a {@code CorruptIndexException}).
 */
public class CorruptCodebookException extends IOException {
    public CorruptCodebookException(String detail) {
        super("corrupt product-quantizer codebook: " + detail);
    }
}
