package dev.rollout.local.asl;

import java.util.List;
import java.util.Optional;

/** One element of a Task's Catch: where the execution goes, and what it carries, when the errors happen. */
record Catcher(List<String> errorEquals, String next, Optional<Template> output, Assignments assign) {

    boolean handles(String error) {
        return ErrorNames.matches(errorEquals, error);
    }
}
