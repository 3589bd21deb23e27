package dev.rollout.domain;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.function.UnaryOperator;

/**
 * Whether a rollout may start, judged from what Prepare read about its target before anything moves.
 *
 * <p>Input problems and what the account lacks (the target's owner, the target, the side to roll out, alarms, hook
 * functions) are reported all together ({@code Rollout.InvalidInput}), the account's judged for the well-formed parts
 * of an input that has other problems too ({@link Lookups}); only a well-formed request on an existing target is then
 * refused for the target's or the alarms' state, so the refusal names the real obstacle.
 * The rules are the same for every kind of {@link Target}; only their wording names the kind's own things.
 */
public final class Admission {
    private Admission() {
    }

    /**
     * What Prepare found in the account for what {@link Lookups} names. When the target's owner does not exist,
     * nothing else about it is read; what was not looked up is judged by nobody.
     *
     * @param ownerExists false when what holds the target was looked up and is missing: the function of an alias, the
     *                    stage of a canary
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
     * Admits a checked input, or refuses it with every problem at once: the input's own problems and, for its
     * well-formed parts ({@link Lookups}), what {@code found} says is missing in the account.
     *
     * @return the target's routing: where the rollout starts and what rollback returns to
     * @throws Rollout.InvalidInput listing every problem of the input and of the account, all at once
     */
    public static Routing admit(RolloutSettings.Checked checked, Found found) {
        if (checked.resolved().isPresent()) {
            return admit(checked.resolved().get().request(), found, checked::name);
        }
        Problems problems = new Problems();
        checked.problems().forEach(problem -> problems.add(problem.field(), problem.message()));
        checkExistence(checked.lookups(), found, checked::name, problems);
        problems.throwIfAny();
        throw new IllegalStateException("a checked input without a request has problems");
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
        checkExistence(Lookups.of(request), found, fieldName, problems);
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

    /** What the account lacks of what {@code lookups} names: each part is judged only when it was looked up. */
    private static void checkExistence(Lookups lookups, Found found, UnaryOperator<String> fieldName,
                                       Problems problems) {
        lookups.owner().ifPresent(owner -> checkTargetAndSide(lookups, owner, found, fieldName, problems));
        Set<String> existing = found.alarms().stream().map(AlarmStatus::name).collect(Collectors.toSet());
        lookups.alarms().forEach((index, name) -> {
            if (!existing.contains(name)) {
                problems.add(fieldName.apply("alarms[" + index + "]"), "no CloudWatch alarm named \"" + name
                        + "\" exists in this account and region");
            }
        });
        checkHooks(lookups, found, fieldName, problems);
    }

    private static void checkTargetAndSide(Lookups lookups, String owner, Found found, UnaryOperator<String> fieldName,
                                           Problems problems) {
        Wording words = Wording.of(lookups.kind(), owner);
        if (!found.ownerExists()) {
            problems.add(fieldName.apply(words.ownerField()), words.noOwner(lookups.target()));
            return;
        }
        Optional<Routing> routing = found.target();
        lookups.target().ifPresent(target -> {
            if (routing.isEmpty()) {
                problems.add(fieldName.apply(words.targetField()), words.noTarget(target));
            } else if (target instanceof Target.LambdaAlias alias && routing.get().primary().equals("$LATEST")
                    && lookups.splitsTraffic().orElse(false)) {
                problems.add(fieldName.apply(words.targetField()), "alias " + alias.alias() + " serves $LATEST, and"
                        + " Lambda splits traffic only between published versions; point it at a published version"
                        + " first, or roll out with AllAtOnce");
            }
        });
        lookups.to().ifPresent(to -> {
            if (!found.toExists()) {
                problems.add(words.sideField(), words.noSide(lookups.target(), to));
            } else if (lookups.target().isPresent() && routing.isPresent() && !routing.get().isSplit()
                    && routing.get().primary().equals(to)) {
                problems.add(words.sideField(), words.alreadyServed(lookups.target().get(), to));
            }
        });
    }

    /** How problems name a kind's own things: the fields they are about and what is missing. */
    private record Wording(Lookups.Kind kind, String owner) {
        static Wording of(Lookups.Kind kind, String owner) {
            return new Wording(kind, owner);
        }

        String ownerField() {
            return switch (kind) {
                case STAGE_CANARY -> "target.stage";
                case ROUTE53_WEIGHTED -> "target.hostedZoneId";
                case LAMBDA_ALIAS -> "functionName";
            };
        }

        /** A stage is looked up with its API, so only a stage canary whose stage was looked up lacks its owner. */
        String noOwner(Optional<Target> target) {
            return switch (kind) {
                case STAGE_CANARY -> noTarget(target.orElseThrow());
                case ROUTE53_WEIGHTED -> "no hosted zone " + owner + " exists in this account";
                case LAMBDA_ALIAS -> "no Lambda function named \"" + owner + "\" exists in this account and region";
            };
        }

        String targetField() {
            return switch (kind) {
                case STAGE_CANARY -> "target.stage";
                case ROUTE53_WEIGHTED -> "target.from";
                case LAMBDA_ALIAS -> "alias";
            };
        }

        String noTarget(Target target) {
            if (target instanceof Target.StageCanary stage) {
                return "REST API " + stage.restApiId() + " has no stage \"" + stage.stage()
                        + "\" in this account and region (or the API does not exist)";
            }
            if (target instanceof Target.Route53Weighted records) {
                return missingRecordSet(records, records.from());
            }
            return "function " + owner + " has no alias \"" + ((Target.LambdaAlias) target).alias()
                    + "\"; create it on the version that serves traffic today";
        }

        String sideField() {
            return switch (kind) {
                case STAGE_CANARY -> "target.deploymentId";
                case ROUTE53_WEIGHTED -> "target.to";
                case LAMBDA_ALIAS -> "targetVersion";
            };
        }

        /** @param target present for weighted records, whose side Lookups names only with a whole target */
        String noSide(Optional<Target> target, String to) {
            return switch (kind) {
                case STAGE_CANARY -> "REST API " + owner + " has no deployment \"" + to + "\"; create it first"
                        + " (aws apigateway create-deployment)";
                case ROUTE53_WEIGHTED -> missingRecordSet((Target.Route53Weighted) target.orElseThrow(), to)
                        + "; create it with weight 0 first";
                case LAMBDA_ALIAS -> "version " + to + " of " + owner
                        + " does not exist; publish it first (aws lambda publish-version)";
            };
        }

        String alreadyServed(Target target, String to) {
            if (target instanceof Target.StageCanary stage) {
                return "stage " + stage.stage() + " already serves deployment " + to + "; there is nothing to roll out";
            }
            if (target instanceof Target.Route53Weighted records) {
                return "record " + records.title() + " already sends every query to record set " + to
                        + "; there is nothing to roll out";
            }
            return "alias " + ((Target.LambdaAlias) target).alias() + " already serves version " + to
                    + "; there is nothing to roll out";
        }

        private static String missingRecordSet(Target.Route53Weighted records, String setIdentifier) {
            return "hosted zone " + records.hostedZoneId() + " has no weighted record set " + records.title()
                    + " with SetIdentifier \"" + setIdentifier + "\"";
        }
    }

    /** A hook that cannot run would fail the rollout later, after traffic moved; refuse it now. */
    private static void checkHooks(Lookups lookups, Found found, UnaryOperator<String> fieldName,
                                   Problems problems) {
        lookups.hooks().forEach((moment, function) -> {
            String field = fieldName.apply("hooks." + moment.wireName());
            switch (found.hooks().getOrDefault(function, HookAvailability.MISSING)) {
                case MISSING -> problems.add(field, "no Lambda function named \"" + function
                        + "\" exists in this account and region");
                case NOT_ALLOWED -> problems.add(field, "this stack may not invoke \"" + function
                        + "\"; add it to the stack parameter HookFunctionNames");
                case READY -> { }
            }
        });
    }
}
