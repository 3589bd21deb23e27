package Rollout;

import java.util.List;

/** The rollout input is malformed or refers to things that do not exist; nothing was changed. */
public final class InvalidInput extends Failure {
    private final List<String> problems;

    public InvalidInput(List<String> problems) {
        super(describe(problems));
        this.problems = List.copyOf(problems);
    }

    /** Each problem names the field and what was expected. */
    public List<String> problems() {
        return problems;
    }

    private static String describe(List<String> problems) {
        if (problems.size() == 1) {
            return "Invalid rollout input: " + problems.get(0);
        }
        return "Invalid rollout input (" + problems.size() + " problems): " + String.join("; ", problems);
    }
}
