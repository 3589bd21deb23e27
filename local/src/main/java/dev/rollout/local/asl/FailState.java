package dev.rollout.local.asl;

import java.util.List;
import java.util.Optional;

record FailState(String name, Optional<TypedField<String>> error, Optional<TypedField<String>> cause)
        implements State {

    @Override
    public List<String> successors() {
        return List.of();
    }
}
