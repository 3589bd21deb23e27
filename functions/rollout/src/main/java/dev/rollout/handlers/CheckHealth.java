package dev.rollout.handlers;

import Rollout.AlarmTriggered;
import Rollout.Conflict;
import Rollout.HealthUnknown;
import Rollout.InsufficientEvidence;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import dev.rollout.aws.Alarms;
import dev.rollout.aws.Clients;
import dev.rollout.aws.Invocations;
import dev.rollout.aws.Targets;
import dev.rollout.domain.AlarmStatus;
import dev.rollout.domain.AlarmTransition;
import dev.rollout.domain.Evidence;
import dev.rollout.domain.HealthCheck;
import dev.rollout.domain.PreparedRollout;
import dev.rollout.domain.Routing;
import dev.rollout.domain.Target;
import dev.rollout.domain.Verdict;
import dev.rollout.domain.WatchedAlarms;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;

/**
 * Judges the window since the last check: every watched alarm must have stayed out of ALARM the
 * whole time. Windows are contiguous from Prepare on, so no moment of the rollout goes unwatched.
 *
 * <p>It first reads the target: a revision other than the one this rollout last set means someone else changed it,
 * and the rollout stops with {@code Rollout.Conflict}, leaving the target as they set it (see {@link Rollback}).
 *
 * <p>Every verdict says how many invocations of the new version its window covered ({@code invocations},
 * {@code evidence}); a window without any says so rather than passing as healthy on no evidence.
 */
public final class CheckHealth extends TaskHandler {
    private final Targets targets;
    private final Alarms alarms;
    private final Invocations invocations;
    private final Clock clock;

    public CheckHealth() {
        this(Clients.targets(), Clients.cloudWatch(), Clock.systemUTC());
    }

    public CheckHealth(Targets targets, CloudWatchClient cloudWatch, Clock clock) {
        this.targets = targets;
        this.alarms = new Alarms(cloudWatch);
        this.invocations = new Invocations(cloudWatch);
        this.clock = clock;
    }

    @Override
    public JsonNode handle(JsonNode input) {
        PreparedRollout rollout = Json.read(input, "rollout", PreparedRollout.class);
        Instant since = Instant.parse(Json.text(input, "since"));
        String revision = Json.text(input, "revisionId");
        // DescribeAlarms (9 a second per account) before the target's read (GetAlias: 15, shared by every Lambda
        // control-plane call): under load, an attempt throttled on the scarcer quota has then spent nothing another
        // rollout needed. The window ends before the states are read, so no change can fall between the two.
        Instant now = clock.instant();
        List<AlarmStatus> statuses = alarms.statuses(rollout.alarms());
        Routing current = targets.open(rollout).read();
        if (!current.revision().equals(revision)) {
            throw new Conflict(rollout.target().describe() + " was changed by someone"
                    + " else since this rollout last set it: it now routes " + current.describe()
                    + "; the rollout stops and leaves it as they set it");
        }
        List<String> missing = WatchedAlarms.missing(rollout.alarms(), statuses).stream()
                .map(WatchedAlarms.Missing::name).toList();
        if (!missing.isEmpty()) {
            throw new HealthUnknown("alarm " + String.join(", ", missing)
                    + " no longer exists, so the new version's health cannot be judged");
        }
        List<AlarmTransition> transitions = new ArrayList<>();
        for (AlarmStatus status : statuses) {
            // A state unchanged since the window opened held all window long: its history can add nothing, and
            // DescribeAlarmHistory allows 3 calls a second per account, against DescribeAlarms' 9.
            if (status.since() == null || status.since().isAfter(since)) {
                transitions.addAll(alarms.transitions(status.name(), since, now));
            }
        }
        Verdict verdict = HealthCheck.judge(statuses, transitions, since, now);
        Evidence evidence = evidence(rollout, since, now);
        if (!verdict.healthy()) {
            throw new AlarmTriggered(verdict.summary() + " (the window covered " + evidence.describe() + ")");
        }
        if (evidence.invocations() < rollout.minInvocations()) {
            throw new InsufficientEvidence("the window from " + since + " to " + now + " covered " + evidence.describe()
                    + ", fewer than the " + rollout.minInvocations() + " this rollout requires per check"
                    + " (minInvocations); its alarms alone cannot vouch for the new version");
        }
        ObjectNode output = Json.object();
        output.put("healthy", true);
        output.put("checkedAt", now.toString());
        output.put("summary", verdict.summary() + "; " + evidence.describe());
        output.put("invocations", evidence.invocations());
        output.put("evidence", evidence.describe());
        output.set("alarms", Json.MAPPER.valueToTree(verdict.alarmsChecked()));
        return output;
    }

    /**
     * The new version's invocations through a Lambda alias. Other kinds of target serve no Lambda version of their
     * own (a stage canary serves a deployment), so their windows count none; their health is what their alarms say,
     * and a minimum of invocations is refused for them before the rollout starts.
     */
    private Evidence evidence(PreparedRollout rollout, Instant since, Instant now) {
        if (rollout.target() instanceof Target.LambdaAlias alias) {
            return invocations.of(alias.functionName(), alias.alias(), rollout.toVersion(), since, now);
        }
        return new Evidence(rollout.toVersion(), 0);
    }
}
