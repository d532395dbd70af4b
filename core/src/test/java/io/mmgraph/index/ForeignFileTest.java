package io.mmgraph.index;

import io.mmgraph.TestSeeds;
import io.mmgraph.format.CorruptIndexException;
import io.mmgraph.format.FileKind;
import io.mmgraph.format.FormatConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A file that belongs elsewhere — another index's, or another kind — is refused at open, naming the file. */
class ForeignFileTest {
    @TempDir
    Path tmp;

    private static void assertRefused(Path dir, String fileName, String because) {
        for (boolean writer : new boolean[] {false, true}) {
            CorruptIndexException e = assertThrows(CorruptIndexException.class,
                    () -> (writer ? MMapGraph.open(dir) : MMapGraph.openReadOnly(dir)).close(),
                    fileName + (writer ? " (writer)" : " (reader)"));
            assertEquals(dir.resolve(fileName), e.file(), e.getMessage());
            assertTrue(e.getMessage().contains(fileName), e.getMessage());
            assertTrue(e.getMessage().contains(because), e.getMessage());
        }
    }

    @Test
    void aDataFileOfAnotherIndexIsRefused() throws IOException {
        Random r = TestSeeds.random("ForeignFileTest.aDataFileOfAnotherIndexIsRefused");
        Path mine = tmp.resolve("mine");
        Path other = tmp.resolve("other");
        CorruptionFixture.build(mine, r.nextLong());
        CorruptionFixture.build(other, r.nextLong());
        for (FileKind kind : io.mmgraph.format.IndexFiles.kinds(0)) {
            Path file = mine.resolve(kind.fileName());
            byte[] original = Files.readAllBytes(file);
            Files.copy(other.resolve(kind.fileName()), file, StandardCopyOption.REPLACE_EXISTING);
            assertRefused(mine, kind.fileName(), "belongs to index");
            Files.write(file, original);
        }
        // The other index's manifest over this index's data: the first data file is named.
        Path manifest = FormatConstants.manifestPath(mine);
        byte[] original = Files.readAllBytes(manifest);
        Files.copy(FormatConstants.manifestPath(other), manifest, StandardCopyOption.REPLACE_EXISTING);
        assertRefused(mine, FileKind.VECTORS.fileName(), "belongs to index");
        Files.write(manifest, original);

        try (MMapGraph g = MMapGraph.openReadOnly(mine)) {
            assertTrue(g.verify().ok(), "restored");
        }
    }

    @Test
    void aFileOfAnotherKindIsRefused() throws IOException {
        Random r = TestSeeds.random("ForeignFileTest.aFileOfAnotherKindIsRefused");
        Path dir = tmp.resolve("idx");
        CorruptionFixture.build(dir, r.nextLong());
        Path vectors = dir.resolve(FileKind.VECTORS.fileName());
        Files.copy(dir.resolve(FileKind.NEIGHBOR_LISTS.fileName()), vectors, StandardCopyOption.REPLACE_EXISTING);
        assertRefused(dir, FileKind.VECTORS.fileName(), "NEIGHBOR_LISTS");
    }

    @Test
    void aMissingDataFileIsAnError() throws IOException {
        Random r = TestSeeds.random("ForeignFileTest.aMissingDataFileIsAnError");
        Path dir = tmp.resolve("idx");
        CorruptionFixture.build(dir, r.nextLong());
        Files.delete(dir.resolve(FileKind.VECTOR_CHECKSUMS.fileName()));
        IOException e = assertThrows(IOException.class, () -> MMapGraph.openReadOnly(dir));
        assertTrue(e.getMessage().contains(FileKind.VECTOR_CHECKSUMS.fileName()), e.getMessage());
    }
}
