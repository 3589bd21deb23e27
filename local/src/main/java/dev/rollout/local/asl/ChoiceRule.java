package dev.rollout.local.asl;

import java.util.Optional;

record ChoiceRule(TypedField<Boolean> condition, String next, Optional<Template> output, Assignments assign) {
}
