package dev.rollout.local.asl;

import java.util.List;
import java.util.Optional;

record SucceedState(String name, Optional<Template> output) implements State {

    @Override
    public List<String> successors() {
        return List.of();
    }
}
