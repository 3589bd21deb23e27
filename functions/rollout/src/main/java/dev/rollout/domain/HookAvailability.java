package dev.rollout.domain;

/** Whether a hook function can be invoked, as Prepare finds it before any traffic moves. */
public enum HookAvailability {
    READY,
    /** No such function in this account and Region. */
    MISSING,
    /** The stack may not invoke it: it is not among the stack's {@code HookFunctionNames}. */
    NOT_ALLOWED
}
