package dev.rollout.domain;

/**
 * The Step Functions task token an approval answers. Whoever holds it can decide the rollout, so it is kept in
 * the approval store and handed only to SendTaskSuccess or SendTaskFailure: never to a link, a page or a log.
 * {@link #toString()} hides it, so a record or message that includes a token by mistake does not leak it.
 */
public record TaskToken(String value) {
    public TaskToken {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("a task token must not be empty");
        }
    }

    @Override
    public String toString() {
        return "TaskToken[hidden]";
    }
}
