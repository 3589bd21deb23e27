package dev.rollout.domain;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * One step of a rollout plan, in the order the state machine executes them.
 *
 * <p>The state machine dispatches on {@code type}; the names are part of the ASL contract.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Step.Shift.class, name = "Shift"),
    @JsonSubTypes.Type(value = Step.Bake.class, name = "Bake"),
    @JsonSubTypes.Type(value = Step.Approval.class, name = "Approval")
})
public sealed interface Step {

    /** Route {@code weight} percent of the alias' traffic to the new version. */
    record Shift(int weight) implements Step {
        public Shift {
            Weight.percent(weight); // validates the range
            if (weight == 0 || weight == 100) {
                throw new IllegalArgumentException("a shift step routes 1..99 percent; 0 and 100 are rollback and promote");
            }
        }
    }

    /** Hold the current weight for {@code seconds}, then require every alarm to have stayed out of ALARM. */
    record Bake(long seconds) implements Step {
        public Bake {
            if (seconds < 0) {
                throw new IllegalArgumentException("bake seconds must not be negative, got " + seconds);
            }
        }
    }

    /** Wait for a person to approve; unanswered after {@code timeoutSeconds}, do what {@code onTimeout} says. */
    record Approval(long timeoutSeconds, OnTimeout onTimeout) implements Step {
        public Approval {
            if (timeoutSeconds <= 0) {
                throw new IllegalArgumentException("approval timeout must be positive, got " + timeoutSeconds);
            }
            if (onTimeout == null) {
                throw new IllegalArgumentException("an approval step needs onTimeout");
            }
        }
    }
}
