package dev.rollout.local.asl;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Waits for Seconds, or until Timestamp; exactly one of the two is present. */
record WaitState(String name, Optional<TypedField<Long>> seconds, Optional<TypedField<Instant>> timestamp,
                 Optional<Template> output, Assignments assign, Optional<String> next) implements State {

    @Override
    public List<String> successors() {
        return next.stream().toList();
    }

    Instant until(EvaluationScope scope, Instant enteredAt) {
        return seconds.isPresent()
                ? enteredAt.plus(Duration.ofSeconds(seconds.get().evaluate(scope)))
                : timestamp.orElseThrow().evaluate(scope);
    }
}
