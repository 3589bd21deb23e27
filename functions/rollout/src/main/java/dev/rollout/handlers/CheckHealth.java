package dev.rollout.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import dev.rollout.aws.AliasLeases;
import dev.rollout.aws.Clients;
import dev.rollout.aws.HealthWindows;
import dev.rollout.aws.RolloutControls;
import dev.rollout.aws.Targets;
import dev.rollout.domain.AliasLease;
import dev.rollout.domain.CheckCounts;
import dev.rollout.domain.Measurements;
import dev.rollout.domain.PreparedRollout;
import dev.rollout.domain.Routing;
import dev.rollout.domain.StageMetrics;
import dev.rollout.domain.VersionMetrics;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Judges the window since the last check: every watched alarm must have stayed out of ALARM the
 * whole time. Windows are contiguous from Prepare on, so no moment of the rollout goes unwatched.
 * The state machine runs it when the final bake ends; every move of traffic before runs the same check itself.
 *
 * <p>It reads the target: a revision other than the one this rollout last set means someone else changed it, and the
 * rollout stops with {@code Rollout.Conflict}, leaving the target as they set it (see {@link Rollback}), whatever the
 * window's verdict ({@link LastSet}).
 *
 * <p>Every verdict says how many invocations of the new version (requests to a stage's canary) its window covered
 * ({@code invocations}, {@code evidence}); a window without any says so rather than passing as healthy on no
 * evidence.
 */
public final class CheckHealth extends TaskHandler {
    private final Targets targets;
    private final HealthWindows health;
    private final AliasLeases leases;
    private final RolloutControls controls;
    private final Clock clock;

    public CheckHealth() {
        this(Clients.targets(), Clients.cloudWatch(), Clients.dynamoDb(), Clients.environment("LEASE_TABLE"),
                Clients.environment("CONTROL_TABLE"), Clock.systemUTC());
    }

    public CheckHealth(Targets targets, CloudWatchClient cloudWatch, DynamoDbClient dynamoDb, String leaseTable,
                   String controlTable, Clock clock) {
        this.leases = new AliasLeases(dynamoDb, leaseTable);
        this.controls = new RolloutControls(dynamoDb, controlTable);
        this.targets = targets;
        this.health = new HealthWindows(cloudWatch);
        this.clock = clock;
    }

    @Override
    public JsonNode handle(JsonNode input) {
        PreparedRollout rollout = Json.read(input, "rollout", PreparedRollout.class);
        Instant since = Instant.parse(Json.text(input, "since"));
        String revision = Json.text(input, "revisionId");
        LastSet lastSet = new LastSet(targets.open(rollout), rollout, revision, routing -> false);
        Instant now = clock.instant();
        HealthWindows.WindowVerdict verdict = lastSet.judge(() -> {
            // The rollout ends promoted after this check: an abort recorded during a post-traffic hook rolls back here.
            ControlDelivery.requireNotAborted(controls, Json.text(input, "executionId"));
            HealthWindows.WindowVerdict judged = health.requireHealthy(rollout, since, now, checks(input),
                    () -> position(rollout, lastSet.get()));
            targets.requireHealthChecks(rollout, since, now);
            return judged;
        });
        // Read after the window's calls, so that a throttled one has spent no read of Lambda's 15 a second.
        lastSet.get();
        // The alarms' verdict is this task's own summary; a move of traffic reports its routing instead.
        ObjectNode output = verdict(verdict, rollout, now).put("summary", verdict.alarms().summary() + "; "
                + verdict.evidence().describe());
        // The final bake ended well and the rollout ends promoted: the next one may claim the target at once.
        output.put("released", leases.release(AliasLease.target(rollout.target()), Json.text(input, "executionId")));
        return output;
    }

    /**
     * The fields every handler that checks a window reports: {@code healthy}, {@code checkedAt}, the {@code alarms}
     * checked, {@code metrics}: the metric verdict with the numbers it used, and the {@code checks} counted so far.
     */
    static ObjectNode verdict(HealthWindows.WindowVerdict verdict, PreparedRollout rollout, Instant now) {
        ObjectNode output = Json.object();
        output.put("healthy", true);
        output.put("checkedAt", now.toString());
        output.set("alarms", Json.MAPPER.valueToTree(verdict.alarms().alarmsChecked()));
        output.put("invocations", verdict.evidence().invocations());
        output.put("evidence", verdict.evidence().describe());
        ObjectNode metrics = output.putObject("metrics");
        metrics.put("outcome", verdict.metrics().outcome().name());
        metrics.put("summary", verdict.metrics().summary());
        metrics.set("newVersion", numbers(verdict.metrics().candidate()));
        metrics.set("oldVersion", numbers(verdict.metrics().baseline()));
        metrics.put("checks", verdict.checks().describe(rollout.metrics()));
        output.set("checks", Json.MAPPER.valueToTree(verdict.checks()));
        return output;
    }

    /**
     * Where the target, as this rollout last set it, routes: a window before the first shift has nothing of the new
     * side to count, and a promoted stage has no canary left.
     */
    static Routing.Position position(PreparedRollout rollout, Routing routing) {
        return routing.positionIn(rollout.fromVersion(), rollout.toVersion());
    }

    /** The rollout's failed and inconclusive metric windows so far ({@code checks}), none when absent. */
    static CheckCounts checks(JsonNode input) {
        JsonNode checks = input.path("checks");
        return checks.isObject()
                ? new CheckCounts(checks.path("failed").asLong(0), checks.path("inconclusive").asLong(0))
                : CheckCounts.NONE;
    }

    private static ObjectNode numbers(Measurements measured) {
        ObjectNode node = Json.object();
        if (measured instanceof StageMetrics stage) {
            node.put("side", stage.side());
            node.put("stage", stage.stage());
            node.put("requests", stage.requests());
            node.put("serverErrors", stage.serverErrors());
            node.put("serverErrorRatePercent", stage.serverErrorRatePercent());
            node.put("clientErrors", stage.clientErrors());
            node.put("clientErrorRatePercent", stage.clientErrorRatePercent());
            stage.p99Millis().ifPresentOrElse(p99 -> node.put("p99Millis", p99), () -> node.putNull("p99Millis"));
            return node;
        }
        VersionMetrics version = (VersionMetrics) measured;
        node.put("version", version.version());
        node.put("invocations", version.invocations());
        node.put("errors", version.errors());
        node.put("errorRatePercent", version.errorRatePercent());
        node.put("throttles", version.throttles());
        version.p99Millis().ifPresentOrElse(p99 -> node.put("p99Millis", p99), () -> node.putNull("p99Millis"));
        return node;
    }
}
