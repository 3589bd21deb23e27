package dev.rollout.handlers;

import Rollout.AlarmTriggered;
import Rollout.Conflict;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import dev.rollout.aws.Alarms;
import dev.rollout.aws.Aliases;
import dev.rollout.aws.Clients;
import dev.rollout.aws.FunctionTags;
import dev.rollout.domain.AliasRouting;
import dev.rollout.domain.AlarmStatus;
import dev.rollout.domain.Problems;
import dev.rollout.domain.PreparedRollout;
import dev.rollout.domain.RolloutRequest;
import dev.rollout.domain.RolloutSettings;
import dev.rollout.domain.StackDefaults;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * Checks the whole input and the live alias before anything moves, and records the starting state
 * that rollback returns to.
 *
 * <p>Fields the input leaves out come from the function's tags, then from the stack's defaults (see
 * {@link RolloutSettings}); the output's {@code settingsFrom} says which came from where.
 *
 * <p>Refuses with {@code Rollout.InvalidInput} (every problem listed), {@code Rollout.Conflict} when
 * the alias is already split (a rollout in progress), or {@code Rollout.AlarmTriggered} when a
 * watched alarm already fires.
 */
public final class Prepare extends TaskHandler {
    private final Aliases aliases;
    private final FunctionTags tags;
    private final Alarms alarms;
    private final Clock clock;
    private final StackDefaults defaults;

    public Prepare() {
        this(Clients.lambda(), Clients.cloudWatch(), Clock.systemUTC(), StackDefaults.fromEnvironment(System::getenv));
    }

    /** Without stack defaults: a field that neither the input nor a tag sets stays unset. */
    public Prepare(LambdaClient lambda, CloudWatchClient cloudWatch, Clock clock) {
        this(lambda, cloudWatch, clock, StackDefaults.NONE);
    }

    public Prepare(LambdaClient lambda, CloudWatchClient cloudWatch, Clock clock, StackDefaults defaults) {
        this.aliases = new Aliases(lambda);
        this.tags = new FunctionTags(lambda);
        this.alarms = new Alarms(cloudWatch);
        this.clock = clock;
        this.defaults = defaults;
    }

    @Override
    public JsonNode handle(JsonNode input) {
        // Input problems first: tags are read only to fill fields the input leaves out, and AWS is asked about the
        // function, alias and alarms only for a well-formed request.
        Map<String, String> functionTags = RolloutSettings.functionToRead(input).map(tags::of).orElse(Map.of());
        RolloutSettings.Resolved resolved = RolloutSettings.resolve(input, functionTags, defaults);
        RolloutRequest request = resolved.request();
        Problems problems = new Problems();
        Optional<AliasRouting> alias = checkFunction(request, resolved, problems);
        List<AlarmStatus> statuses = alarms.statuses(request.alarms());
        Set<String> found = statuses.stream().map(AlarmStatus::name).collect(Collectors.toSet());
        for (int i = 0; i < request.alarms().size(); i++) {
            if (!found.contains(request.alarms().get(i))) {
                problems.add(resolved.name("alarms[" + i + "]"), "no CloudWatch alarm named \"" + request.alarms().get(i)
                        + "\" exists in this account and region");
            }
        }
        problems.throwIfAny();

        AliasRouting routing = alias.orElseThrow();
        if (routing.isSplit()) {
            throw new Conflict("alias " + request.functionName() + ":" + request.alias() + " already routes "
                    + routing.describe() + ": another rollout is in progress or was interrupted;"
                    + " let it finish or roll it back before starting a new one");
        }
        for (AlarmStatus status : statuses) {
            if (status.isAlarming()) {
                throw new AlarmTriggered("alarm " + status.name() + " is already in ALARM (since " + status.since()
                        + "): " + status.reason() + "; no traffic was moved");
            }
        }

        PreparedRollout rollout = new PreparedRollout(request.functionName(), request.alias(), routing.primaryVersion(),
                request.targetVersion(), request.plan().strategy(), request.plan().steps(), request.alarms(),
                request.comment(), clock.instant().toString(), request.plan().finalBakeSeconds());
        ObjectNode output = Json.object();
        output.set("rollout", Json.MAPPER.valueToTree(rollout));
        output.put("revisionId", routing.revisionId());
        output.put("routing", routing.describe());
        output.set("settingsFrom", Json.MAPPER.valueToTree(resolved.sources()));
        return output;
    }

    private Optional<AliasRouting> checkFunction(RolloutRequest request, RolloutSettings.Resolved resolved,
                                                 Problems problems) {
        String function = request.functionName();
        if (!aliases.functionExists(function)) {
            problems.add("functionName", "no Lambda function named \"" + function + "\" exists in this account and region");
            return Optional.empty();
        }
        Optional<AliasRouting> alias = aliases.find(function, request.alias());
        if (alias.isEmpty()) {
            problems.add(resolved.name("alias"), "function " + function + " has no alias \"" + request.alias()
                    + "\"; create it on the version that serves traffic today");
        } else if (alias.get().primaryVersion().equals("$LATEST") && !request.plan().weights().isEmpty()) {
            problems.add(resolved.name("alias"), "alias " + request.alias() + " serves $LATEST, and Lambda splits"
                    + " traffic only between published versions; point it at a published version first, or roll out"
                    + " with AllAtOnce");
        }
        if (!aliases.versionExists(function, request.targetVersion())) {
            problems.add("targetVersion", "version " + request.targetVersion() + " of " + function
                    + " does not exist; publish it first (aws lambda publish-version)");
        } else if (alias.isPresent() && !alias.get().isSplit()
                && alias.get().primaryVersion().equals(request.targetVersion())) {
            problems.add("targetVersion", "alias " + request.alias() + " already serves version "
                    + request.targetVersion() + "; there is nothing to roll out");
        }
        return alias;
    }
}
