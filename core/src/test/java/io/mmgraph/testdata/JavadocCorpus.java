package io.mmgraph.testdata;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Javadoc prose of the {@code java.base} sources in the JDK's {@code lib/src.zip}: the fallback for machines without
 * man pages, since every JDK install that can build this project ships it.
 */
final class JavadocCorpus extends PassageCorpus {
    private static final String MODULE = "java.base/";

    private final ZipFile zip; // null when there is no src.zip

    JavadocCorpus(Path srcZip) throws IOException {
        this.zip = srcZip != null && Files.isRegularFile(srcZip) ? new ZipFile(srcZip.toFile()) : null;
    }

    /** src.zip of the running JDK, else of {@code $JAVA_HOME}; null when neither has one. */
    static Path defaultSrcZip() {
        for (String home : new String[] {System.getProperty("java.home"), System.getenv("JAVA_HOME")}) {
            if (home != null && Files.isRegularFile(Path.of(home, "lib", "src.zip"))) {
                return Path.of(home, "lib", "src.zip");
            }
        }
        return null;
    }

    @Override
    String name() {
        return "javadoc";
    }

    @Override
    List<String> documents() {
        List<String> out = new ArrayList<>();
        if (zip != null) {
            zip.stream().map(ZipEntry::getName)
                    .filter(n -> n.startsWith(MODULE) && n.endsWith(".java"))
                    .forEach(out::add);
        }
        return out;
    }

    /** The package directory, so that java.util.concurrent does not crowd out the rest of java.base. */
    @Override
    String family(String document) {
        return document.substring(0, document.lastIndexOf('/'));
    }

    @Override
    List<String> paragraphs(String document) throws IOException {
        try (InputStream in = zip.getInputStream(zip.getEntry(document))) {
            return JavadocText.paragraphs(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Override
    public void close() throws IOException {
        if (zip != null) {
            zip.close();
        }
    }
}
