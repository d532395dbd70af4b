package io.mmgraph.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScaleCommandTest {
    @Test
    void sizesTakeBinaryUnits() {
        assertEquals(2L << 30, ScaleCommand.parseSize("2g"));
        assertEquals(400L << 20, ScaleCommand.parseSize("400M"));
        assertEquals(512L << 10, ScaleCommand.parseSize(" 512k "));
        assertEquals(123_456L, ScaleCommand.parseSize("123456"));
        for (String bad : new String[] {"", "g", "-1g", "0", "2x", "99999999999t"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ScaleCommand.parseSize(bad));
            assertTrue(e.getMessage().contains("not a size"), e.getMessage());
        }
    }
}
