package dev.rollout.domain;

import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Whether a rollout may start, judged from what Prepare read about its target before anything moves.
 *
 * <p>Input problems come first and all together ({@code Rollout.InvalidInput}); only a well-formed request on an
 * existing alias is then refused for the alias' or the alarms' state, so the refusal names the real obstacle.
 */
public final class Admission {
    private Admission() {
    }

    /**
     * What Prepare found in the account. When the function does not exist, nothing else is read.
     *
     * @param alias               the alias' routing, empty when the function has no such alias
     * @param targetVersionExists whether the version to roll out is published
     * @param alarms              the watched alarms that exist, with their current state
     */
    public record Found(boolean functionExists, Optional<AliasRouting> alias, boolean targetVersionExists,
                        List<AlarmStatus> alarms) {
        public Found {
            alarms = List.copyOf(alarms);
        }

        /** The function does not exist: only its alarms could be looked up. */
        public static Found noFunction(List<AlarmStatus> alarms) {
            return new Found(false, Optional.empty(), false, alarms);
        }
    }

    /**
     * @param fieldName how a message names an input field (after the tag or stack parameter it came from)
     * @return the alias' routing: where the rollout starts and what rollback returns to
     * @throws Rollout.InvalidInput    listing every problem with the function, alias, target version and alarms
     * @throws Rollout.Conflict        when the alias is already split: another rollout is in progress or was cut off
     * @throws Rollout.AlarmTriggered  when a watched alarm already fires
     */
    public static AliasRouting admit(RolloutRequest request, Found found, UnaryOperator<String> fieldName) {
        Problems problems = new Problems();
        if (found.functionExists()) {
            checkAliasAndTarget(request, found, fieldName, problems);
        } else {
            problems.add("functionName", "no Lambda function named \"" + request.functionName()
                    + "\" exists in this account and region");
        }
        for (WatchedAlarms.Missing missing : WatchedAlarms.missing(request.alarms(), found.alarms())) {
            problems.add(fieldName.apply("alarms[" + missing.index() + "]"), "no CloudWatch alarm named \""
                    + missing.name() + "\" exists in this account and region");
        }
        problems.throwIfAny();

        AliasRouting routing = found.alias().orElseThrow();
        if (routing.isSplit()) {
            throw new Rollout.Conflict("alias " + request.functionName() + ":" + request.alias() + " already routes "
                    + routing.describe() + ": another rollout is in progress or was interrupted;"
                    + " let it finish or roll it back before starting a new one");
        }
        for (AlarmStatus status : found.alarms()) {
            if (status.isAlarming()) {
                throw new Rollout.AlarmTriggered("alarm " + status.name() + " is already in ALARM (since "
                        + status.since() + "): " + status.reason() + "; no traffic was moved");
            }
        }
        return routing;
    }

    private static void checkAliasAndTarget(RolloutRequest request, Found found, UnaryOperator<String> fieldName,
                                            Problems problems) {
        Optional<AliasRouting> alias = found.alias();
        if (alias.isEmpty()) {
            problems.add(fieldName.apply("alias"), "function " + request.functionName() + " has no alias \""
                    + request.alias() + "\"; create it on the version that serves traffic today");
        } else if (alias.get().primaryVersion().equals("$LATEST") && !request.plan().weights().isEmpty()) {
            problems.add(fieldName.apply("alias"), "alias " + request.alias() + " serves $LATEST, and Lambda splits"
                    + " traffic only between published versions; point it at a published version first, or roll out"
                    + " with AllAtOnce");
        }
        if (!found.targetVersionExists()) {
            problems.add("targetVersion", "version " + request.targetVersion() + " of " + request.functionName()
                    + " does not exist; publish it first (aws lambda publish-version)");
        } else if (alias.isPresent() && !alias.get().isSplit()
                && alias.get().primaryVersion().equals(request.targetVersion())) {
            problems.add("targetVersion", "alias " + request.alias() + " already serves version "
                    + request.targetVersion() + "; there is nothing to roll out");
        }
    }
}
