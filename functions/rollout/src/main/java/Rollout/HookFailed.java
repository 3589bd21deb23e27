package Rollout;

/**
 * A pre-traffic or post-traffic hook function answered with a failure, threw, or did not answer within its
 * timeout; the rollout rolls back. The state machine raises it itself (states {@code HookRefused} and the
 * catchers of {@code InvokeHook} and {@code AwaitHookCallback}), naming the hook and what it said.
 */
public final class HookFailed extends Failure {
    public HookFailed(String message) {
        super(message);
    }
}
