package dev.rollout.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import dev.rollout.aws.Alarms;
import dev.rollout.aws.Aliases;
import dev.rollout.aws.Clients;
import dev.rollout.aws.FunctionTags;
import dev.rollout.domain.Admission;
import dev.rollout.domain.AlarmStatus;
import dev.rollout.domain.AliasRouting;
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
 * watched alarm already fires; the rules are {@link Admission}'s.
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
        AliasRouting routing = Admission.admit(request, find(request), resolved::name);

        PreparedRollout rollout = new PreparedRollout(request.functionName(), request.alias(), routing.primaryVersion(),
                request.targetVersion(), request.plan().strategy(), request.plan().steps(), request.alarms(),
                request.comment(), clock.instant().toString(), request.plan().finalBakeSeconds(),
                request.metrics(), request.minInvocations());
        ObjectNode output = Json.object();
        output.set("rollout", Json.MAPPER.valueToTree(rollout));
        output.put("revisionId", routing.revisionId());
        output.put("routing", routing.describe());
        output.set("settingsFrom", Json.MAPPER.valueToTree(resolved.sources()));
        return output;
    }

    /** Reads what admission judges: the function, its alias, the target version and the watched alarms. */
    private Admission.Found find(RolloutRequest request) {
        String function = request.functionName();
        // The scarcest quota first (DescribeAlarms: 9 a second per account, GetAlias: 15, GetFunction: 100), so that
        // an attempt throttled under load has spent nothing another rollout needed.
        List<AlarmStatus> statuses = alarms.statuses(request.alarms());
        Optional<AliasRouting> alias = aliases.find(function, request.alias());
        // An existing target version proves the function exists: only a missing one costs a second call to tell
        // "no such function" from "no such version".
        boolean targetExists = aliases.versionExists(function, request.targetVersion());
        if (!targetExists && !aliases.functionExists(function)) {
            return Admission.Found.noFunction(statuses);
        }
        return new Admission.Found(true, alias, targetExists, statuses);
    }
}
