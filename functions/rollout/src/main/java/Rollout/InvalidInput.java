package Rollout;

import java.util.List;

/** The rollout input is malformed or refers to things that do not exist; nothing was changed. */
public final class InvalidInput extends Failure {
    /** How many problems the message lists. */
    static final int MAX_LISTED = 50;

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
        // Every problem is kept in problems(); the message, which Step Functions carries as the error's cause, lists
        // enough of them to act on and stays far below the payload limits.
        List<String> listed = problems.size() <= MAX_LISTED ? problems : problems.subList(0, MAX_LISTED);
        String more = problems.size() <= MAX_LISTED ? "" : "; and " + (problems.size() - MAX_LISTED) + " more";
        return "Invalid rollout input (" + problems.size() + " problems): " + String.join("; ", listed) + more;
    }
}
