package dev.rollout.local.asl;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Invokes a Lambda function; Arguments hold FunctionName and Payload. */
record TaskState(String name, LambdaResource resource, TypedField<String> functionName, Template payload,
                 Optional<TypedField<Long>> timeoutSeconds, List<Retrier> retriers, List<Catcher> catchers,
                 Optional<Template> output, Assignments assign, Optional<String> next) implements State {

    @Override
    public List<String> successors() {
        List<String> successors = new ArrayList<>(next.stream().toList());
        catchers.forEach(catcher -> successors.add(catcher.next()));
        return successors;
    }
}
