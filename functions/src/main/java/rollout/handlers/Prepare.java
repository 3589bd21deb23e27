package rollout.handlers;

import Rollout.AlarmTriggered;
import Rollout.Conflict;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import rollout.aws.Alarms;
import rollout.aws.Aliases;
import rollout.aws.Clients;
import rollout.domain.AliasRouting;
import rollout.domain.AlarmStatus;
import rollout.domain.Problems;
import rollout.domain.PreparedRollout;
import rollout.domain.RolloutRequest;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * Checks the whole input and the live alias before anything moves, and records the starting state
 * that rollback returns to.
 *
 * <p>Refuses with {@code Rollout.InvalidInput} (every problem listed), {@code Rollout.Conflict} when
 * the alias is already split (a rollout in progress), or {@code Rollout.AlarmTriggered} when a
 * watched alarm already fires.
 */
public final class Prepare extends TaskHandler {
    private final Aliases aliases;
    private final Alarms alarms;
    private final Clock clock;

    public Prepare() {
        this(Clients.lambda(), Clients.cloudWatch(), Clock.systemUTC());
    }

    public Prepare(LambdaClient lambda, CloudWatchClient cloudWatch, Clock clock) {
        this.aliases = new Aliases(lambda);
        this.alarms = new Alarms(cloudWatch);
        this.clock = clock;
    }

    @Override
    public JsonNode handle(JsonNode input) {
        // Input problems first; AWS is asked only about a well-formed request.
        RolloutRequest request = RolloutRequest.parse(input);
        Problems problems = new Problems();
        Optional<AliasRouting> alias = checkFunction(request, problems);
        List<AlarmStatus> statuses = alarms.statuses(request.alarms());
        Set<String> found = statuses.stream().map(AlarmStatus::name).collect(Collectors.toSet());
        for (int i = 0; i < request.alarms().size(); i++) {
            if (!found.contains(request.alarms().get(i))) {
                problems.add("alarms[" + i + "]", "no CloudWatch alarm named \"" + request.alarms().get(i)
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
                request.comment(), clock.instant().toString());
        ObjectNode output = Json.object();
        output.set("rollout", Json.MAPPER.valueToTree(rollout));
        output.put("revisionId", routing.revisionId());
        output.put("routing", routing.describe());
        return output;
    }

    private Optional<AliasRouting> checkFunction(RolloutRequest request, Problems problems) {
        String function = request.functionName();
        if (!aliases.functionExists(function)) {
            problems.add("functionName", "no Lambda function named \"" + function + "\" exists in this account and region");
            return Optional.empty();
        }
        Optional<AliasRouting> alias = aliases.find(function, request.alias());
        if (alias.isEmpty()) {
            problems.add("alias", "function " + function + " has no alias \"" + request.alias()
                    + "\"; create it on the version that serves traffic today");
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
