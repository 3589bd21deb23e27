package dev.rollout.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rollout.ProjectRoot;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The error names are a contract (README, "Error names"): every name the state machine catches, raises or fails
 * with, every class in package {@code Rollout}, and every row of the README's table are the same set.
 */
class ErrorNamesTest {
    private static final Path ERROR_CLASSES = ProjectRoot.resolve("functions/rollout/src/main/java/Rollout");
    private static final Pattern ERROR_NAME = Pattern.compile("\\bRollout\\.([A-Z][A-Za-z]+)\\b");
    private static final Pattern README_ROW = Pattern.compile("(?m)^\\| `Rollout\\.([A-Z][A-Za-z]+)` \\|");

    @Test
    void everyNameTheStateMachineUsesIsAnErrorClass() throws IOException {
        Set<String> used = names(ERROR_NAME, Files.readString(ProjectRoot.resolve("statemachine/rollout.asl.json")));
        Set<String> missing = new TreeSet<>(used);
        missing.removeAll(errorClasses());
        assertEquals(Set.of(), missing, "names in statemachine/rollout.asl.json without a class in package Rollout");
    }

    @Test
    void theReadmeTableListsExactlyTheErrorClasses() throws IOException {
        Set<String> documented = names(README_ROW, Files.readString(ProjectRoot.resolve("README.md")));
        assertEquals(errorClasses(), documented, "README's error table against the classes in package Rollout");
    }

    @Test
    void everyErrorClassIsAFailureNamedAsStepFunctionsSeesIt() throws ClassNotFoundException {
        for (String name : errorClasses()) {
            Class<?> type = Class.forName("Rollout." + name);
            assertTrue(Rollout.Failure.class.isAssignableFrom(type), name + " must extend Rollout.Failure");
            assertTrue(Modifier.isFinal(type.getModifiers()), name + " must be final: a subclass has another name");
        }
    }

    @Test
    void theCodeNamesErrorsThroughTheirClassesOnly() throws IOException {
        // A name written as a string literal is a second definition that a rename would miss.
        try (Stream<Path> sources = Files.walk(ProjectRoot.resolve("functions/rollout/src/main/java"))) {
            for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher literal = Pattern.compile("\"Rollout\\.[A-Z]").matcher(Files.readString(source));
                assertTrue(!literal.find(), source + " spells an error name as a string; use the class in Rollout");
            }
        }
    }

    private static Set<String> errorClasses() {
        try (Stream<Path> files = Files.list(ERROR_CLASSES)) {
            Set<String> names = new TreeSet<>();
            files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".java") && !n.equals("package-info.java") && !n.equals("Failure.java"))
                    .forEach(n -> names.add(n.substring(0, n.length() - ".java".length())));
            return names;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Set<String> names(Pattern pattern, String text) {
        Set<String> names = new TreeSet<>();
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }
}
