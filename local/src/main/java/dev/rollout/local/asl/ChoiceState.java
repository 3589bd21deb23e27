package dev.rollout.local.asl;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Goes to the first rule whose Condition holds, else to Default. The state's own Assign applies whichever
 * way it goes, together with the matched rule's; a rule's Output overrides the state's.
 */
record ChoiceState(String name, List<ChoiceRule> choices, Optional<String> defaultNext, Optional<Template> output,
                   Assignments assign) implements State {

    @Override
    public List<String> successors() {
        List<String> successors = new ArrayList<>();
        choices.forEach(rule -> successors.add(rule.next()));
        defaultNext.ifPresent(successors::add);
        return successors;
    }
}
