package dev.rollout.build;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rollout.ProjectRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * macOS' and Windows' default file systems ignore case: two paths that differ only by case are one there, and a
 * build on such a machine mixes their contents (package {@code Rollout} once sat beside package {@code rollout}).
 */
class CaseOnlyPathsTest {
    private static final Set<String> NOT_SOURCES = Set.of(".git", "target", "node_modules", ".aws-sam");

    @Test
    void noTwoPathsInTheRepositoryDifferOnlyByCase() throws IOException {
        Path root = ProjectRoot.path();
        Map<String, String> seen = new HashMap<>();
        Set<String> collisions = new TreeSet<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.filter(p -> !ignored(root.relativize(p))).toList()) {
                String relative = root.relativize(path).toString();
                String previous = seen.putIfAbsent(relative.toLowerCase(Locale.ROOT), relative);
                if (previous != null && !previous.equals(relative)) {
                    collisions.add(previous + " ~ " + relative);
                }
            }
        }
        assertEquals(Set.of(), collisions);
    }

    private static boolean ignored(Path relative) {
        for (Path part : relative) {
            if (NOT_SOURCES.contains(part.toString())) {
                return true;
            }
        }
        return false;
    }
}
