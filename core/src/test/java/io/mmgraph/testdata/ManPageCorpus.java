package io.mmgraph.testdata;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * The English man pages of this machine: {@code man1} to {@code man8} directly under the man root. The per-language
 * directories beside them ({@code de}, {@code fr}...) are not read, and symbolic links are skipped because they
 * only repeat another page.
 */
final class ManPageCorpus extends PassageCorpus {
    static final Path DEFAULT_ROOT = Path.of("/usr/share/man");

    private final Path root;

    ManPageCorpus(Path root) {
        this.root = root;
    }

    @Override
    String name() {
        return "man";
    }

    @Override
    List<String> documents() throws IOException {
        List<String> out = new ArrayList<>();
        for (int section = 1; section <= 8; section++) {
            Path dir = root.resolve("man" + section);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.list(dir)) {
                files.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS))
                        .map(f -> root.relativize(f).toString())
                        .forEach(out::add);
            }
        }
        return out;
    }

    /** The program or library a page belongs to: its name up to the first {@code - _ . :}, so git-commit is git. */
    @Override
    String family(String document) {
        String name = document.substring(document.lastIndexOf('/') + 1);
        int end = 0;
        while (end < name.length() && "-_.:".indexOf(name.charAt(end)) < 0) {
            end++;
        }
        return name.substring(0, end);
    }

    @Override
    List<String> paragraphs(String document) throws IOException {
        Path file = root.resolve(document);
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = document.endsWith(".gz") ? new GZIPInputStream(in).readAllBytes() : in.readAllBytes();
        }
        // Most pages are UTF-8 or ASCII; a stray Latin-1 byte decodes to U+FFFD, which Passages rejects.
        return RoffText.paragraphs(new String(bytes, StandardCharsets.UTF_8));
    }
}
