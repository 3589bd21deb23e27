package dev.rollout.domain;

import java.time.Duration;

/**
 * A function the rollout invokes at one moment of its life to check the new version, as CodeDeploy's
 * {@code BeforeAllowTraffic} and {@code AfterAllowTraffic} hooks do.
 *
 * <p>A plain hook answers by returning {@code {"status": "Succeeded"}} or {@code {"status": "Failed", "message": ...}};
 * a {@code callback} hook gets a task token and answers later with {@code SendTaskSuccess} (the same document) or
 * {@code SendTaskFailure}, for checks that run longer than a Lambda invocation may.
 *
 * @param function       the hook function's name or ARN, optionally with a version or alias qualifier
 * @param timeoutSeconds how long the rollout waits for the answer before it fails with {@code Rollout.HookFailed}
 * @param callback       whether the hook answers through the task token rather than by returning
 */
public record Hook(String function, long timeoutSeconds, boolean callback) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(15);
    /** A Lambda invocation runs at most 15 minutes: a hook that returns its answer cannot take longer. */
    public static final Duration MAX_RETURNING_TIMEOUT = Duration.ofMinutes(15);

    public Hook {
        if (function == null || function.isBlank()) {
            throw new IllegalArgumentException("a hook names a function");
        }
        if (timeoutSeconds <= 0) {
            throw new IllegalArgumentException("hook timeout must be positive, got " + timeoutSeconds);
        }
    }

    /** When a hook runs. The wire names are what the state machine and the hook's event carry. */
    public enum Moment {
        PRE_TRAFFIC("preTraffic", "BeforeAllowTraffic", "pre-traffic"),
        POST_TRAFFIC("postTraffic", "AfterAllowTraffic", "post-traffic");

        private final String wireName;
        private final String lifecycleEvent;
        private final String label;

        Moment(String wireName, String lifecycleEvent, String label) {
            this.wireName = wireName;
            this.lifecycleEvent = lifecycleEvent;
            this.label = label;
        }

        /** As the input's {@code hooks} object and the hook's event name it: {@code preTraffic}. */
        public String wireName() {
            return wireName;
        }

        /** CodeDeploy's name for the same moment: {@code BeforeAllowTraffic}. */
        public String lifecycleEvent() {
            return lifecycleEvent;
        }

        /** For people: {@code pre-traffic}. */
        public String label() {
            return label;
        }
    }
}
