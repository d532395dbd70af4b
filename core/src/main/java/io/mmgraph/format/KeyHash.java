package io.mmgraph.format;

/**
 * The 64-bit hash of an id's UTF-8 bytes that key records store and the id table is addressed by: FNV-1a over the
 * bytes, then the MurmurHash3 finalizer to spread FNV's weak low bits. Part of the format: changing it invalidates
 * every stored hash. Not keyed: ids chosen to collide slow look-ups down (each candidate is checked byte by byte),
 * they never return a wrong vector.
 */
public final class KeyHash {
    private KeyHash() {}

    public static long of(byte[] bytes) {
        long h = 0xcbf29ce484222325L;
        for (byte b : bytes) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
