package dev.rollout.domain;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects every problem with a rollout input, so one failed start lists all of them
 * instead of making people fix their input one error at a time.
 */
public final class Problems {
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
        found.add(new Problem(field, expectation));
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
