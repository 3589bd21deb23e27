package dev.rollout.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import dev.rollout.aws.Alarms;
import dev.rollout.aws.Clients;
import dev.rollout.aws.FunctionTags;
import dev.rollout.aws.HookFunctions;
import dev.rollout.aws.Targets;
import dev.rollout.domain.Admission;
import dev.rollout.domain.AlarmStatus;
import dev.rollout.domain.AppSpec;
import dev.rollout.domain.HookAvailability;
import dev.rollout.domain.Lookups;
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
    private final HookFunctions hookFunctions;
    private final Alarms alarms;
    private final Clock clock;
    private final StackDefaults defaults;

    public Prepare() {
        this(Clients.targets(), Clients.lambda(), Clients.cloudWatch(), Clock.systemUTC(),
                StackDefaults.fromEnvironment(System::getenv));
    }

    /** Without stack defaults: a field that neither the input nor a tag sets stays unset. */
    public Prepare(LambdaClient lambda, ApiGatewayClient apiGateway, CloudWatchClient cloudWatch, Clock clock) {
        this(lambda, apiGateway, cloudWatch, clock, StackDefaults.NONE);
    }

    public Prepare(LambdaClient lambda, ApiGatewayClient apiGateway, CloudWatchClient cloudWatch, Clock clock,
                   StackDefaults defaults) {
        this(new Targets(lambda, apiGateway), lambda, cloudWatch, clock, defaults);
    }

    /** @param targets the adapters of every kind of target, {@code lambda} the function's tags and hooks */
    public Prepare(Targets targets, LambdaClient lambda, CloudWatchClient cloudWatch, Clock clock,
                   StackDefaults defaults) {
        this.targets = targets;
        this.tags = new FunctionTags(lambda);
        this.hookFunctions = new HookFunctions(lambda);
        this.alarms = new Alarms(cloudWatch);
        this.clock = clock;
        this.defaults = defaults;
    }

    @Override
    public JsonNode handle(JsonNode startInput) {
        // A CodeDeploy AppSpec stands for the plain input it describes.
        JsonNode input = AppSpec.expand(startInput);
        // Tags are read only to fill fields the input leaves out, and AWS is asked only about the well-formed parts of
        // the input, so a refusal lists the input's problems and the account's together and nothing malformed is sent.
        AlarmsRead named = alarmsNamedBy(input);
        Map<String, String> functionTags = RolloutSettings.functionToRead(input).map(tags::of).orElse(Map.of());
        RolloutSettings.Checked checked = RolloutSettings.check(input, functionTags, defaults);
        Routing routing = Admission.admit(checked, find(checked, named));
        RolloutSettings.Resolved resolved = checked.resolved().orElseThrow();
        RolloutRequest request = resolved.request();
        String to = targets.side(request);

        PreparedRollout rollout = new PreparedRollout(targets.prepared(request.target()), routing.primary(),
                to, request.plan().strategy(), request.plan().steps(), request.alarms(),
                request.comment(), clock.instant().toString(), request.plan().finalBakeSeconds(),
                request.metrics(), request.minInvocations(), request.hooks());
        ObjectNode output = Json.object();
        output.set("rollout", Json.MAPPER.valueToTree(rollout));
        output.put("revisionId", routing.revision());
        output.put("routing", routing.describe());
        output.set("settingsFrom", Json.MAPPER.valueToTree(resolved.sources()));
        if (request.sideToCreate()) {
            output.put("createdDeployment", to);
        }
        return output;
    }

    /**
     * What the account holds of what the input names. An input already known to be invalid is refused whatever the
     * account says: when a lookup fails, its refusal lists the input's own problems, rather than a retry hiding them.
     */
    private Admission.Found find(RolloutSettings.Checked checked, AlarmsRead named) {
        Lookups lookups = checked.lookups();
        try {
            List<String> watched = List.copyOf(lookups.alarms().values());
            List<AlarmStatus> statuses = watched.equals(named.names()) ? named.statuses() : alarms.statuses(watched);
            return targets.inspect(lookups, statuses).withHooks(hooks(lookups));
        } catch (Rollout.Failure unread) {
            if (checked.resolved().isPresent()) {
                throw unread;
            }
            throw new Rollout.InvalidInput(checked.problems().stream().map(Object::toString).toList());
        }
    }

    /**
     * The alarms the input names itself, read before anything else: DescribeAlarms has the scarcest quota a rollout
     * spends (9 requests a second per account), and a task throttled on its first call has spent nothing that the
     * state machine's retry asks for again. Tags never replace alarms the input names. Any other failure leaves them
     * unread, for {@link #find} to read and report as before.
     */
    private AlarmsRead alarmsNamedBy(JsonNode input) {
        List<String> names = input != null && input.hasNonNull("alarms")
                ? List.copyOf(Lookups.readable(input).alarms().values()) : List.of();
        if (names.isEmpty()) {
            return AlarmsRead.NONE;
        }
        try {
            return new AlarmsRead(names, alarms.statuses(names));
        } catch (Rollout.Throttled | Rollout.Transient retried) {
            throw retried;
        } catch (Rollout.Failure unread) {
            return AlarmsRead.NONE;
        }
    }

    /** Watched alarms already read, and what they are in. */
    private record AlarmsRead(List<String> names, List<AlarmStatus> statuses) {
        static final AlarmsRead NONE = new AlarmsRead(List.of(), List.of());
    }

    /** For each hook function the input names, whether this stack can invoke it. */
    private Map<String, HookAvailability> hooks(Lookups lookups) {
        Map<String, HookAvailability> found = new HashMap<>();
        lookups.hooks().values().forEach(function -> found.computeIfAbsent(function, hookFunctions::check));
        return found;
    }
}
