package dev.rollout.local.asl;

import java.util.List;
import java.util.Optional;

record PassState(String name, Optional<Template> output, Assignments assign, Optional<String> next)
        implements State {

    @Override
    public List<String> successors() {
        return next.stream().toList();
    }
}
