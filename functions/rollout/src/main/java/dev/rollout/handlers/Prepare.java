package dev.rollout.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import dev.rollout.aws.Alarms;
import dev.rollout.aws.Clients;
import dev.rollout.aws.FunctionTags;
import dev.rollout.aws.Targets;
import dev.rollout.domain.Admission;
import dev.rollout.domain.PreparedRollout;
import dev.rollout.domain.RolloutRequest;
import dev.rollout.domain.RolloutSettings;
import dev.rollout.domain.Routing;
import dev.rollout.domain.StackDefaults;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * Checks the whole input and the live target before anything moves, and records the starting state
 * that rollback returns to.
 *
 * <p>Fields the input leaves out come from the function's tags, then from the stack's defaults (see
 * {@link RolloutSettings}); the output's {@code settingsFrom} says which came from where.
 *
 * <p>Refuses with {@code Rollout.InvalidInput} (every problem listed), {@code Rollout.Conflict} when
 * the target is already split (a rollout in progress), or {@code Rollout.AlarmTriggered} when a
 * watched alarm already fires; the rules are {@link Admission}'s.
 */
public final class Prepare extends TaskHandler {
    private final Targets targets;
    private final FunctionTags tags;
    private final Alarms alarms;
    private final Clock clock;
    private final StackDefaults defaults;

    public Prepare() {
        this(Clients.lambda(), Clients::apiGateway, Clients.cloudWatch(), Clock.systemUTC(),
                StackDefaults.fromEnvironment(System::getenv));
    }

    /** Without stack defaults: a field that neither the input nor a tag sets stays unset. */
    public Prepare(LambdaClient lambda, ApiGatewayClient apiGateway, CloudWatchClient cloudWatch, Clock clock) {
        this(lambda, apiGateway, cloudWatch, clock, StackDefaults.NONE);
    }

    public Prepare(LambdaClient lambda, ApiGatewayClient apiGateway, CloudWatchClient cloudWatch, Clock clock,
                   StackDefaults defaults) {
        this(lambda, () -> apiGateway, cloudWatch, clock, defaults);
    }

    /** @param apiGateway built only when a stage canary is prepared */
    private Prepare(LambdaClient lambda, Supplier<ApiGatewayClient> apiGateway, CloudWatchClient cloudWatch,
                    Clock clock, StackDefaults defaults) {
        this.targets = new Targets(lambda, apiGateway);
        this.tags = new FunctionTags(lambda);
        this.alarms = new Alarms(cloudWatch);
        this.clock = clock;
        this.defaults = defaults;
    }

    @Override
    public JsonNode handle(JsonNode input) {
        // Input problems first: tags are read only to fill fields the input leaves out, and AWS is asked about the
        // target and alarms only for a well-formed request.
        Map<String, String> functionTags = RolloutSettings.functionToRead(input).map(tags::of).orElse(Map.of());
        RolloutSettings.Resolved resolved = RolloutSettings.resolve(input, functionTags, defaults);
        RolloutRequest request = resolved.request();
        Routing routing = Admission.admit(request, targets.inspect(request, alarms.statuses(request.alarms())),
                resolved::name);

        PreparedRollout rollout = new PreparedRollout(targets.prepared(request.target()), routing.primary(),
                request.targetVersion(), request.plan().strategy(), request.plan().steps(), request.alarms(),
                request.comment(), clock.instant().toString(), request.minInvocations());
        ObjectNode output = Json.object();
        output.set("rollout", Json.MAPPER.valueToTree(rollout));
        output.put("revisionId", routing.revision());
        output.put("routing", routing.describe());
        output.set("settingsFrom", Json.MAPPER.valueToTree(resolved.sources()));
        return output;
    }
}
