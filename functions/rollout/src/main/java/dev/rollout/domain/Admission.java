package dev.rollout.domain;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.function.UnaryOperator;

/**
 * Whether a rollout may start, judged from what Prepare read about its target before anything moves.
 *
 * <p>Input problems and existence problems (function, alias, target version, alarms) are reported all together
 * ({@code Rollout.InvalidInput}); only a well-formed request on an existing alias is then refused for the alias' or
 * the alarms' state, so the refusal names the real obstacle.
 */
public final class Admission {
    private Admission() {
    }

    /**
     * What Prepare found in the account for the well-formed parts of an input ({@link Lookups}). What was not looked
     * up (a malformed name, or anything of a function that does not exist) counts as not found.
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
     * @return the alias' routing: where the rollout starts and what rollback returns to
     * @throws Rollout.InvalidInput    listing every problem of the input and, for its well-formed parts, with the
     *                                 function, alias, target version and alarms, all at once
     * @throws Rollout.Conflict        when the alias is already split: another rollout is in progress or was cut off
     * @throws Rollout.AlarmTriggered  when a watched alarm already fires
     */
    public static AdmittedRollout admit(RolloutSettings.Checked checked, Found found) {
        Problems problems = new Problems();
        checked.problems().forEach(problem -> problems.add(problem.field(), problem.message()));
        Lookups lookups = checked.lookups();
        UnaryOperator<String> fieldName = checked::name;
        lookups.functionName().ifPresent(function -> {
            if (found.functionExists()) {
                checkAliasAndTarget(function, lookups, found, fieldName, problems);
            } else {
                problems.add("functionName", "no Lambda function named \"" + function
                        + "\" exists in this account and region");
            }
        });
        Set<String> existing = found.alarms().stream().map(AlarmStatus::name).collect(Collectors.toSet());
        lookups.alarms().forEach((index, name) -> {
            if (!existing.contains(name)) {
                problems.add(fieldName.apply("alarms[" + index + "]"), "no CloudWatch alarm named \"" + name
                        + "\" exists in this account and region");
            }
        });
        problems.throwIfAny();

        RolloutSettings.Resolved resolved = checked.request().orElseThrow();
        RolloutRequest request = resolved.request();
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
        return new AdmittedRollout(resolved, routing);
    }

    /** A request admitted, and the routing of its alias when it was: where rollback returns to. */
    public record AdmittedRollout(RolloutSettings.Resolved resolved, AliasRouting routing) {
    }

    private static void checkAliasAndTarget(String function, Lookups lookups, Found found,
                                            UnaryOperator<String> fieldName, Problems problems) {
        Optional<AliasRouting> alias = found.alias();
        lookups.alias().ifPresent(name -> {
            if (alias.isEmpty()) {
                problems.add(fieldName.apply("alias"), "function " + function + " has no alias \"" + name
                        + "\"; create it on the version that serves traffic today");
            } else if (alias.get().primaryVersion().equals("$LATEST") && lookups.splitsTraffic().orElse(false)) {
                problems.add(fieldName.apply("alias"), "alias " + name + " serves $LATEST, and Lambda splits"
                        + " traffic only between published versions; point it at a published version first, or roll"
                        + " out with AllAtOnce");
            }
        });
        lookups.targetVersion().ifPresent(version -> {
            if (!found.targetVersionExists()) {
                problems.add("targetVersion", "version " + version + " of " + function
                        + " does not exist; publish it first (aws lambda publish-version)");
            } else if (alias.isPresent() && !alias.get().isSplit() && alias.get().primaryVersion().equals(version)) {
                problems.add("targetVersion", "alias " + lookups.alias().orElseThrow() + " already serves version "
                        + version + "; there is nothing to roll out");
            }
        });
    }
}
