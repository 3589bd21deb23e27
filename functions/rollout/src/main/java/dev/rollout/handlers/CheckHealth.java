package dev.rollout.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import dev.rollout.aws.Clients;
import dev.rollout.aws.HealthWindows;
import dev.rollout.domain.CheckCounts;
import dev.rollout.domain.PreparedRollout;
import dev.rollout.domain.VersionMetrics;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;

/**
 * Judges the window since the last check: every watched alarm must have stayed out of ALARM the
 * whole time. Windows are contiguous from Prepare on, so no moment of the rollout goes unwatched.
 * The state machine runs it when the final bake ends; every move of traffic before runs the same check itself.
 */
public final class CheckHealth extends TaskHandler {
    private final HealthWindows health;
    private final Clock clock;

    public CheckHealth() {
        this(Clients.cloudWatch(), Clock.systemUTC());
    }

    public CheckHealth(CloudWatchClient cloudWatch, Clock clock) {
        this.health = new HealthWindows(cloudWatch);
        this.clock = clock;
    }

    @Override
    public JsonNode handle(JsonNode input) {
        PreparedRollout rollout = Json.read(input, "rollout", PreparedRollout.class);
        Instant since = Instant.parse(Json.text(input, "since"));
        Instant now = clock.instant();
        HealthWindows.WindowVerdict verdict = health.requireHealthy(rollout, since, now, checks(input));
        // The alarms' verdict is this task's own summary; a move of traffic reports its routing instead.
        return verdict(verdict, rollout, now).put("summary", verdict.alarms().summary());
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
        ObjectNode metrics = output.putObject("metrics");
        metrics.put("outcome", verdict.metrics().outcome().name());
        metrics.put("summary", verdict.metrics().summary());
        metrics.set("newVersion", numbers(verdict.metrics().candidate()));
        metrics.set("oldVersion", numbers(verdict.metrics().baseline()));
        metrics.put("checks", verdict.checks().describe(rollout.metrics()));
        output.set("checks", Json.MAPPER.valueToTree(verdict.checks()));
        return output;
    }

    /** The rollout's failed and inconclusive metric windows so far ({@code checks}), none when absent. */
    static CheckCounts checks(JsonNode input) {
        JsonNode checks = input.path("checks");
        return checks.isObject()
                ? new CheckCounts(checks.path("failed").asLong(0), checks.path("inconclusive").asLong(0))
                : CheckCounts.NONE;
    }

    private static ObjectNode numbers(VersionMetrics version) {
        ObjectNode node = Json.object();
        node.put("version", version.version());
        node.put("invocations", version.invocations());
        node.put("errors", version.errors());
        node.put("errorRatePercent", version.errorRatePercent());
        node.put("throttles", version.throttles());
        version.p99Millis().ifPresentOrElse(p99 -> node.put("p99Millis", p99), () -> node.putNull("p99Millis"));
        return node;
    }
}
