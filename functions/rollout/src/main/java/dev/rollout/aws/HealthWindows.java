package dev.rollout.aws;

import Rollout.AlarmTriggered;
import Rollout.HealthUnknown;
import Rollout.InsufficientEvidence;
import Rollout.VersionUnhealthy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import dev.rollout.domain.AlarmStatus;
import dev.rollout.domain.AlarmTransition;
import dev.rollout.domain.CheckCounts;
import dev.rollout.domain.Evidence;
import dev.rollout.domain.HealthCheck;
import dev.rollout.domain.MetricRules;
import dev.rollout.domain.MetricVerdict;
import dev.rollout.domain.PreparedRollout;
import dev.rollout.domain.Routing;
import dev.rollout.domain.StageMetrics;
import dev.rollout.domain.Target;
import dev.rollout.domain.VersionMetrics;
import dev.rollout.domain.Verdict;
import dev.rollout.domain.WatchedAlarms;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;

/**
 * Judges a health window: every watched alarm must exist and have stayed out of ALARM at every moment of the window,
 * not only now; and the new side's own metrics must pass against the old side's over the same window
 * ({@link dev.rollout.domain.MetricRules}): a new Lambda version's against the old version's behind the alias, a stage
 * canary's against its stage's. Every move of traffic and the end of the final bake pass here.
 */
public final class HealthWindows {
    private final Alarms alarms;
    private final VersionMetricsReader metrics;
    private final StageMetricsReader stageMetrics;

    public HealthWindows(CloudWatchClient cloudWatch) {
        this.alarms = new Alarms(cloudWatch);
        this.metrics = new VersionMetricsReader(cloudWatch);
        this.stageMetrics = new StageMetricsReader(cloudWatch);
    }

    /**
     * The verdicts on a window the rollout goes on after: the alarms' (healthy), the metrics' (passed, inconclusive,
     * or failed within the threshold) and the counts of failed and inconclusive windows so far.
     */
    public record WindowVerdict(Verdict alarms, MetricVerdict metrics, CheckCounts checks, Evidence evidence) {
    }

    /**
     * @param before           the failed and inconclusive metric windows of the rollout before this one
     * @param position         where the target routes as this rollout last set it: only once it routes traffic to the
     *                         new side is the window held to the rollout's {@code minInvocations}
     * @throws HealthUnknown     when a watched alarm no longer exists
     * @throws AlarmTriggered    when a watched alarm was in ALARM at some moment of the window
     * @throws VersionUnhealthy  when the new side's metrics failed in more windows than the rollout tolerates
     * @throws InsufficientEvidence when the new side, routed traffic, served fewer than the rollout's
     *                           {@code minInvocations} invocations (a canary: requests) in the window
     */
    public WindowVerdict requireHealthy(PreparedRollout rollout, Instant since, Instant now, CheckCounts before,
                                        Supplier<Routing.Position> position) {
        Verdict alarmVerdict = requireHealthy(rollout.alarms(), since, now);
        MetricRules rules = rollout.metrics();
        MetricVerdict metricVerdict;
        Evidence evidence;
        if (rollout.target() instanceof Target.LambdaAlias alias) {
            List<VersionMetrics> read = metrics.read(alias.functionName(), alias.alias(),
                    List.of(rollout.toVersion(), rollout.fromVersion()), since, now);
            metricVerdict = rules.judge(read.get(0), read.get(1));
            evidence = new Evidence(rollout.toVersion(), read.get(0).invocations());
        } else if (rollout.target() instanceof Target.StageCanary stage && stage.apiName() != null) {
            List<StageMetrics> read = stageMetrics.read(stage.apiName(), stage.stage(), rollout.toVersion(), since, now);
            if (position.get() == Routing.Position.AT_TARGET) {
                // Promoted: the new deployment is the stage's own and has no canary left to compare with the stage.
                StageMetrics promoted = read.get(1).promoted(rollout.toVersion());
                metricVerdict = rules.judge(promoted, StageMetrics.none("no canary left", read.get(0).stage()));
                evidence = Evidence.stageRequests(rollout.toVersion(), stage.stage(), promoted.requests());
            } else {
                metricVerdict = rules.judge(read.get(0), read.get(1));
                evidence = Evidence.canaryRequests(rollout.toVersion(), read.get(0).requests());
            }
        } else if (rollout.target() instanceof Target.Route53Weighted) {
            // Route 53 counts queries per hosted zone, not per record set: each record set's health check
            // (Targets.requireHealthChecks) judges the window beside the alarms.
            MetricVerdict skipped = MetricVerdict.notApplicable(rollout.toVersion(), rollout.fromVersion(),
                    rollout.target().phrase() + " moves queries between " + rollout.target().unit()
                            + "s, which Route 53 keeps no metrics of: their health checks and the alarms judge the"
                            + " window");
            return new WindowVerdict(alarmVerdict, skipped, before, new Evidence(rollout.toVersion(), 0));
        } else {
            // Prepared by a release that did not record the API's name: its metrics cannot be found.
            MetricVerdict skipped = MetricVerdict.notApplicable(rollout.toVersion(), rollout.fromVersion(),
                    rollout.target().describe() + " was prepared without its API's name, which its metrics are"
                            + " published under: its alarms alone judge the window");
            return new WindowVerdict(alarmVerdict, skipped, before, new Evidence(rollout.toVersion(), 0));
        }
        // The first move comes at once after Prepare: an empty window is no window, and counts for nothing.
        CheckCounts after = now.isAfter(since) ? before.after(metricVerdict) : before;
        if (rules.enabled() && metricVerdict.outcome() == MetricVerdict.Outcome.FAILED
                && after.failed() > rules.threshold()) {
            throw new VersionUnhealthy("unhealthy: " + metricVerdict.summary() + " from " + since + " to " + now
                    + " (" + after.describe(rules) + ")");
        }
        if (evidence.invocations() < rollout.minInvocations() && position.get() != Routing.Position.AT_START) {
            throw new InsufficientEvidence("the window from " + since + " to " + now + " covered " + evidence.describe()
                    + ", fewer than the " + rollout.minInvocations() + " this rollout requires per check"
                    + " (minInvocations); its alarms alone cannot vouch for the new " + rollout.target().unit());
        }
        return new WindowVerdict(alarmVerdict, metricVerdict, after, evidence);
    }

    /**
     * @return the healthy verdict on the alarms alone
     * @throws HealthUnknown   when a watched alarm no longer exists
     * @throws AlarmTriggered  when a watched alarm was in ALARM at some moment of the window
     */
    public Verdict requireHealthy(List<String> watched, Instant since, Instant now) {
        List<AlarmStatus> statuses = alarms.statuses(watched);
        requireAll(watched, statuses);
        List<AlarmTransition> transitions = new ArrayList<>();
        for (AlarmStatus status : statuses) {
            // A state unchanged since the window opened held all window long: its history can add nothing, and
            // DescribeAlarmHistory allows 3 calls a second per account, against DescribeAlarms' 9.
            if (status.since() == null || status.since().isAfter(since)) {
                transitions.addAll(alarms.transitions(status.name(), since, now));
            }
        }
        Verdict verdict = HealthCheck.judge(statuses, transitions, since, now);
        if (!verdict.healthy()) {
            throw new AlarmTriggered(verdict.summary());
        }
        return verdict;
    }

    /**
     * The watched alarms' states now, with none in ALARM: what a wait that alarm events interrupt checks once it
     * listens, so an alarm that fired just before is not missed.
     *
     * @throws HealthUnknown  when a watched alarm no longer exists
     * @throws AlarmTriggered when a watched alarm is in ALARM
     */
    public List<AlarmStatus> requireNoneAlarming(List<String> watched) {
        List<AlarmStatus> statuses = alarms.statuses(watched);
        requireAll(watched, statuses);
        List<String> alarming = statuses.stream().filter(AlarmStatus::isAlarming)
                .map(status -> "alarm " + status.name() + " is in ALARM since " + status.since() + ": "
                        + status.reason())
                .toList();
        if (!alarming.isEmpty()) {
            throw new AlarmTriggered("unhealthy: " + String.join("; ", alarming));
        }
        return statuses;
    }

    private static void requireAll(List<String> watched, List<AlarmStatus> statuses) {
        List<String> missing = WatchedAlarms.missing(watched, statuses).stream()
                .map(WatchedAlarms.Missing::name).toList();
        if (!missing.isEmpty()) {
            throw new HealthUnknown("alarm " + String.join(", ", missing)
                    + " no longer exists, so the new version's health cannot be judged");
        }
    }
}
