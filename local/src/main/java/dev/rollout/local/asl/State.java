package dev.rollout.local.asl;

import java.util.List;

/** A state of a loaded definition, in the subset the local runtime executes. */
sealed interface State permits TaskState, PassState, WaitState, ChoiceState, SucceedState, FailState {

    String name();

    /** The states this one can move to, for the definition's structure checks. */
    List<String> successors();
}
