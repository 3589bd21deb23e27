package dev.rollout.domain;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Whether a rollout may start, judged from what Prepare read about its target before anything moves.
 *
 * <p>Input problems come first and all together ({@code Rollout.InvalidInput}); only a well-formed request on an
 * existing target is then refused for the target's or the alarms' state, so the refusal names the real obstacle.
 * The rules are the same for every kind of {@link Target}; only their wording names the kind's own things.
 */
public final class Admission {
    private Admission() {
    }

    /**
     * What Prepare found in the account. When the target's owner does not exist, nothing else about it is read.
     *
     * @param ownerExists whether what holds the target exists: the function of an alias, the stage of a canary
     * @param target      the target's routing, empty when the owner has no such target (a function without the alias)
     * @param toExists    whether the side to roll out exists: the published version, the API's deployment
     * @param alarms      the watched alarms that exist, with their current state
     * @param hooks       for each hook function the request names, whether it can be invoked
     */
    public record Found(boolean ownerExists, Optional<Routing> target, boolean toExists, List<AlarmStatus> alarms,
                        Map<String, HookAvailability> hooks) {
        public Found {
            alarms = List.copyOf(alarms);
            hooks = Map.copyOf(hooks);
        }

        /** Before hooks are looked up, or for a request without hooks. */
        public Found(boolean ownerExists, Optional<Routing> target, boolean toExists, List<AlarmStatus> alarms) {
            this(ownerExists, target, toExists, alarms, Map.of());
        }

        /** The target's owner does not exist: only the alarms (and hooks) could be looked up. */
        public static Found noOwner(List<AlarmStatus> alarms) {
            return new Found(false, Optional.empty(), false, alarms);
        }

        /** The same findings, with what was found about the request's hook functions. */
        public Found withHooks(Map<String, HookAvailability> found) {
            return new Found(ownerExists, target, toExists, alarms, found);
        }
    }

    /**
     * @param fieldName how a message names an input field (after the tag or stack parameter it came from)
     * @return the target's routing: where the rollout starts and what rollback returns to
     * @throws Rollout.InvalidInput    listing every problem with the target, the side to roll out, the alarms and hooks
     * @throws Rollout.Conflict        when the target is already split: another rollout is in progress or was cut off;
     *                                 or when it serves another version than the request's {@code currentVersion}
     * @throws Rollout.AlarmTriggered  when a watched alarm already fires
     */
    public static Routing admit(RolloutRequest request, Found found, UnaryOperator<String> fieldName) {
        Problems problems = new Problems();
        Wording words = Wording.of(request);
        if (found.ownerExists()) {
            checkTargetAndSide(request, found, words, fieldName, problems);
        } else {
            problems.add(fieldName.apply(words.ownerField()), words.noOwner());
        }
        for (WatchedAlarms.Missing missing : WatchedAlarms.missing(request.alarms(), found.alarms())) {
            problems.add(fieldName.apply("alarms[" + missing.index() + "]"), "no CloudWatch alarm named \""
                    + missing.name() + "\" exists in this account and region");
        }
        checkHooks(request, found, fieldName, problems);
        problems.throwIfAny();

        Routing routing = found.target().orElseThrow();
        if (routing.isSplit()) {
            throw new Rollout.Conflict(request.target().describe() + " already routes " + routing.describe()
                    + ": another rollout is in progress or was interrupted;"
                    + " let it finish or roll it back before starting a new one");
        }
        if (request.currentVersion() != null && !request.currentVersion().equals(routing.primary())) {
            throw new Rollout.Conflict("currentVersion is " + request.currentVersion() + ", but "
                    + request.target().describe() + " serves " + request.target().unit() + " " + routing.primary()
                    + "; the " + request.target().noun() + " moved since the input was written, so no traffic was moved");
        }
        for (AlarmStatus status : found.alarms()) {
            if (status.isAlarming()) {
                throw new Rollout.AlarmTriggered("alarm " + status.name() + " is already in ALARM (since "
                        + status.since() + "): " + status.reason() + "; no traffic was moved");
            }
        }
        return routing;
    }

    private static void checkTargetAndSide(RolloutRequest request, Found found, Wording words,
                                           UnaryOperator<String> fieldName, Problems problems) {
        Optional<Routing> target = found.target();
        if (target.isEmpty()) {
            problems.add(fieldName.apply(words.targetField()), words.noTarget());
        } else if (request.target() instanceof Target.LambdaAlias alias
                && target.get().primary().equals("$LATEST") && !request.plan().weights().isEmpty()) {
            problems.add(fieldName.apply(words.targetField()), "alias " + alias.alias() + " serves $LATEST, and Lambda"
                    + " splits traffic only between published versions; point it at a published version first, or roll"
                    + " out with AllAtOnce");
        }
        if (!found.toExists() && !request.sideToCreate()) {
            problems.add(words.sideField(), words.noSide());
        } else if (target.isPresent() && !target.get().isSplit()
                && target.get().primary().equals(request.targetVersion())) {
            problems.add(words.sideField(), words.alreadyServed());
        }
    }

    /** How problems name a kind's own things: the fields they are about and what is missing. */
    private record Wording(String ownerField, String noOwner, String targetField, String noTarget, String sideField,
                           String noSide, String alreadyServed) {
        static Wording of(RolloutRequest request) {
            String to = request.targetVersion();
            if (request.target() instanceof Target.StageCanary stage) {
                String api = "REST API " + stage.restApiId();
                String noStage = api + " has no stage \"" + stage.stage()
                        + "\" in this account and region (or the API does not exist)";
                return new Wording("target.stage", noStage, "target.stage", noStage, "target.deploymentId",
                        api + " has no deployment \"" + to + "\"; create it first (aws apigateway create-deployment)",
                        "stage " + stage.stage() + " already serves deployment " + to
                                + "; there is nothing to roll out");
            }
            if (request.target() instanceof Target.Route53Weighted records) {
                String zone = "hosted zone " + records.hostedZoneId();
                String record = records.recordName() + " " + records.recordType();
                String missing = zone + " has no weighted record set " + record + " with SetIdentifier \"";
                return new Wording("target.hostedZoneId", "no " + zone + " exists in this account", "target.from",
                        missing + records.from() + "\"", "target.to", missing + to + "\"; create it with weight 0 first",
                        "record " + record + " already sends every query to record set " + to
                                + "; there is nothing to roll out");
            }
            Target.LambdaAlias alias = (Target.LambdaAlias) request.target();
            String function = alias.functionName();
            return new Wording("functionName",
                    "no Lambda function named \"" + function + "\" exists in this account and region",
                    "alias", "function " + function + " has no alias \"" + alias.alias()
                            + "\"; create it on the version that serves traffic today",
                    "targetVersion", "version " + to + " of " + function
                            + " does not exist; publish it first (aws lambda publish-version)",
                    "alias " + alias.alias() + " already serves version " + to + "; there is nothing to roll out");
        }
    }

    /** A hook that cannot run would fail the rollout later, after traffic moved; refuse it now. */
    private static void checkHooks(RolloutRequest request, Found found, UnaryOperator<String> fieldName,
                                   Problems problems) {
        for (Hook.Moment moment : Hook.Moment.values()) {
            request.hooks().at(moment).ifPresent(hook -> {
                String field = fieldName.apply("hooks." + moment.wireName());
                switch (found.hooks().getOrDefault(hook.function(), HookAvailability.MISSING)) {
                    case MISSING -> problems.add(field, "no Lambda function named \"" + hook.function()
                            + "\" exists in this account and region");
                    case NOT_ALLOWED -> problems.add(field, "this stack may not invoke \"" + hook.function()
                            + "\"; add it to the stack parameter HookFunctionNames");
                    case READY -> { }
                }
            });
        }
    }
}
