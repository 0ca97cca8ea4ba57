package io.devportal.webhook;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shape of the main sources (src/main and the Lambda glue src/lambda) and of the build's own
 * programs (src/build, and src/lambda-build, which the lambda profile compiles before it runs them),
 * read as text; and the line bound of the strict AWS twin's classes (test support StrictAws*, not
 * their tests).
 */
class SourceFilesTest {
    /**
     * The guide asks for no class over about 300 lines. 330 is that figure with a tenth of slack, so
     * that a fix to a file near the guideline does not have to split it in the same change; a file
     * that reaches the bound is split along a real seam, not cut in halves.
     */
    static final int MAX_LINES = 330;
    static final List<Path> ROOTS = List.of(Path.of("src/main/java"), Path.of("src/lambda/java"),
            Path.of("src/build"), Path.of("src/lambda-build"));
    /** The strict AWS twin: src/test's support/StrictAws.java and the classes it is made of. */
    static final Path TWIN = Path.of("src/test/java/io/devportal/webhook/support");
    /** A class of ours named by its package in code (not in an import, a package line or a comment). */
    static final Pattern QUALIFIED = Pattern.compile("io\\.devportal\\.webhook\\.(?:[a-z0-9]+\\.)*[A-Z]");

    static List<Path> javaFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path root : ROOTS) {
            if (Files.isDirectory(root)) {
                try (Stream<Path> walk = Files.walk(root)) {
                    walk.filter(p -> p.toString().endsWith(".java")).sorted().forEach(files::add);
                }
            }
        }
        return files;
    }

    /** Each of these files that is over {@link #MAX_LINES}, with its length. */
    static List<String> overTheLineBound(List<Path> files) throws IOException {
        List<String> over = new ArrayList<>();
        for (Path file : files) {
            int lines = Files.readAllLines(file).size();
            if (lines > MAX_LINES) {
                over.add(file + " (" + lines + ")");
            }
        }
        return over;
    }

    @Test
    void noMainFileIsOverTheLineBound() throws IOException {
        assertEquals(List.of(), overTheLineBound(javaFiles()), "files over " + MAX_LINES + " lines");
    }

    @Test
    void noClassOfTheStrictTwinIsOverTheLineBound() throws IOException {
        List<Path> twin;
        try (Stream<Path> list = Files.list(TWIN)) {
            twin = list.filter(p -> p.getFileName().toString().matches("StrictAws\\w*\\.java"))
                    .filter(p -> !p.getFileName().toString().endsWith("Test.java")).sorted().toList();
        }
        assertTrue(twin.contains(TWIN.resolve("StrictAws.java")), "the twin's files: " + twin);
        assertEquals(List.of(), overTheLineBound(twin), "strict twin files over " + MAX_LINES + " lines");
    }

    @Test
    void codeNamesOurClassesThroughImportsNotByPackage() throws IOException {
        List<String> qualified = new ArrayList<>();
        for (Path file : javaFiles()) {
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (line.startsWith("import ") || line.startsWith("package ") || line.startsWith("*")
                        || line.startsWith("//") || line.startsWith("/*")) {
                    continue;
                }
                if (QUALIFIED.matcher(line).find()) {
                    qualified.add(file + ":" + (i + 1) + ": " + line);
                }
            }
        }
        assertEquals(List.of(), qualified, "our classes named by package in code");
    }
}
