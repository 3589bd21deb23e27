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

    private final List<Problem> found = new ArrayList<>();

    /** One thing wrong with the input: the field it is about and what was expected there. */
    public record Problem(String field, String message) {
        /** As people read it, and as {@code Rollout.InvalidInput} lists it: {@code field: message}. */
        @Override
        public String toString() {
            return field + ": " + message;
        }
    }

    /** Records that {@code field} is wrong; {@code expectation} says what was expected. */
    public void add(String field, String expectation) {
        // Problems quote what they refuse; a huge value must not make the error itself too large to deliver.
        String shortField = field.length() <= MAX_PROBLEM / 2 ? field : field.substring(0, MAX_PROBLEM / 2 - 3) + "...";
        int room = MAX_PROBLEM - shortField.length() - 2;
        found.add(new Problem(shortField, expectation.length() <= room ? expectation
                : expectation.substring(0, room - 3) + "..."));
    }

    public boolean isEmpty() {
        return found.isEmpty();
    }

    public int size() {
        return found.size();
    }

    public List<Problem> list() {
        return List.copyOf(found);
    }

    /** Refuses the input with every problem found, naming each field. */
    public void throwIfAny() {
        if (!found.isEmpty()) {
            throw new Rollout.InvalidInput(found.stream().map(Problem::toString).toList());
        }
    }
}
