package dev.rollout.local.aws;

import java.util.Optional;

/**
 * Which of the project's functions is making the current call: the outermost handler (a class of
 * {@value #HANDLERS}) on the calling thread's stack, by its simple name, e.g. {@code Rollback} or {@code Restore}.
 * The local runtime invokes every function in-process, so the stack says which one is running.
 */
public final class CallingFunction {
    /** Where the functions' handlers live; a composite handler (PrepareAndClaim) is named, not its parts. */
    static final String HANDLERS = "dev.rollout.handlers.";
    /** How {@link FaultInjector#callers()} names calls made outside any function (the simulation's own set-up). */
    public static final String NONE = "(no function)";

    private CallingFunction() {
    }

    /** The function making the current call, or empty when no handler is on the stack. */
    public static Optional<String> current() {
        return StackWalker.getInstance().walk(frames -> frames
                .map(StackWalker.StackFrame::getClassName)
                .filter(name -> name.startsWith(HANDLERS))
                .reduce((inner, outer) -> outer))
                .map(name -> name.substring(HANDLERS.length()))
                .map(name -> name.contains("$") ? name.substring(0, name.indexOf('$')) : name);
    }
}
