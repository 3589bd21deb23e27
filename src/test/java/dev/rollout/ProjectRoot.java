package dev.rollout;

import java.nio.file.Path;

/** The folder holding template.yaml, statemachine/ and events/, whichever module's folder the tests run in. */
public final class ProjectRoot {
    private ProjectRoot() {
    }

    /** From the system property {@code rollout.root} that local/pom.xml sets, as bin/simulate does. */
    public static Path path() {
        String root = System.getProperty("rollout.root");
        if (root == null) {
            throw new IllegalStateException("system property rollout.root is not set: run the tests through Maven");
        }
        return Path.of(root).toAbsolutePath().normalize();
    }

    public static Path resolve(String relative) {
        return path().resolve(relative);
    }
}
