package dev.rollout.domain;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects every problem with a rollout input, so one failed start lists all of them
 * instead of making people fix their input one error at a time.
 */
public final class Problems {
    /** Long enough for any message about a well-meant input. */
    static final int MAX_PROBLEM = 500;

    private final List<String> found = new ArrayList<>();

    /** Records that {@code field} is wrong; {@code expectation} says what was expected. */
    public void add(String field, String expectation) {
        String problem = field + ": " + expectation;
        // Problems quote what they refuse; a huge value must not make the error itself too large to deliver.
        found.add(problem.length() <= MAX_PROBLEM ? problem : problem.substring(0, MAX_PROBLEM - 3) + "...");
    }

    public boolean isEmpty() {
        return found.isEmpty();
    }

    public int size() {
        return found.size();
    }

    public List<String> list() {
        return List.copyOf(found);
    }

    /** Refuses the input with every problem found, naming each field. */
    public void throwIfAny() {
        if (!found.isEmpty()) {
            throw new Rollout.InvalidInput(found);
        }
    }
}
