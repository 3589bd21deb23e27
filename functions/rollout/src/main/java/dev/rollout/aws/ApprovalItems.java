package dev.rollout.aws;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import dev.rollout.domain.AlarmStatus;
import dev.rollout.domain.Approval;
import dev.rollout.domain.ApprovalStatus;
import dev.rollout.domain.Decision;
import dev.rollout.domain.OnTimeout;
import dev.rollout.domain.Reference;
import dev.rollout.domain.RolloutSnapshot;
import dev.rollout.domain.Target;
import dev.rollout.domain.TaskToken;
import dev.rollout.domain.Weight;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * An {@link Approval} as a DynamoDB item: one flat item per reference, times as ISO-8601 text, and
 * {@value #PURGE_AT} in epoch seconds for the table's TTL.
 */
final class ApprovalItems {
    static final String REFERENCE = "reference";
    static final String STATUS = "status";
    static final String DECIDER = "decider";
    static final String COMMENT = "comment";
    static final String CLOSED_AT = "closedAt";
    /** The table's TimeToLiveSpecification.AttributeName in template.yaml. */
    static final String PURGE_AT = "purgeAt";

    private ApprovalItems() {
    }

    static Map<String, AttributeValue> key(Reference reference) {
        return Map.of(REFERENCE, s(reference.value()));
    }

    static Map<String, AttributeValue> item(Approval approval) {
        RolloutSnapshot rollout = approval.rollout();
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(REFERENCE, s(approval.reference().value()));
        item.put("taskToken", s(approval.taskToken().value()));
        item.put("executionArn", s(approval.executionArn()));
        item.put("target", s(TargetJson.write(rollout.target())));
        item.put("fromVersion", s(rollout.fromVersion()));
        item.put("toVersion", s(rollout.toVersion()));
        item.put("strategy", s(rollout.strategy()));
        item.put("weight", AttributeValue.fromN(Integer.toString(rollout.weight().percent())));
        item.put("rolloutComment", s(rollout.comment()));
        item.put("alarms", AttributeValue.fromL(rollout.alarms().stream().map(ApprovalItems::alarm).toList()));
        item.put("startedAt", s(rollout.startedAt().toString()));
        item.put("healthyUntil", s(rollout.healthyUntil().toString()));
        item.put("onTimeout", s(rollout.onTimeout().wireName()));
        item.put("requestedAt", s(approval.requestedAt().toString()));
        item.put("expiresAt", s(approval.expiresAt().toString()));
        item.put(STATUS, s(approval.status().name()));
        approval.decision().ifPresent(decision -> {
            item.put(DECIDER, s(decision.by()));
            item.put(COMMENT, s(decision.comment()));
        });
        approval.closedAt().ifPresent(at -> item.put(CLOSED_AT, s(at.toString())));
        item.put(PURGE_AT, AttributeValue.fromN(Long.toString(approval.purgeAt().getEpochSecond())));
        return item;
    }

    static Approval approval(Map<String, AttributeValue> item) {
        ApprovalStatus status = ApprovalStatus.valueOf(text(item, STATUS));
        List<AlarmStatus> alarms = new ArrayList<>();
        for (AttributeValue alarm : item.get("alarms").l()) {
            alarms.add(alarm(alarm.m()));
        }
        RolloutSnapshot rollout = new RolloutSnapshot(target(item), text(item, "fromVersion"), text(item, "toVersion"),
                text(item, "strategy"),
                Weight.percent(Integer.parseInt(item.get("weight").n())), text(item, "rolloutComment"), alarms,
                instant(item, "startedAt"), instant(item, "healthyUntil"),
                OnTimeout.fromWireName(text(item, "onTimeout")).orElseThrow());
        Optional<Instant> closedAt = Optional.ofNullable(item.get(CLOSED_AT)).map(at -> Instant.parse(at.s()));
        Optional<Decision> decision = Optional.empty();
        if (status == ApprovalStatus.APPROVED || status == ApprovalStatus.REJECTED) {
            decision = Optional.of(new Decision(status == ApprovalStatus.APPROVED, text(item, DECIDER),
                    text(item, COMMENT), closedAt.orElseThrow()));
        }
        return new Approval(new Reference(text(item, REFERENCE)), new TaskToken(text(item, "taskToken")),
                text(item, "executionArn"), rollout, instant(item, "requestedAt"), instant(item, "expiresAt"),
                status, decision, closedAt);
    }

    /** Items stored before targets name a Lambda alias by {@code functionName} and {@code alias}. */
    private static Target target(Map<String, AttributeValue> item) {
        return item.containsKey("target") ? TargetJson.read(text(item, "target"))
                : new Target.LambdaAlias(text(item, "functionName"), text(item, "alias"));
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue alarm(AlarmStatus alarm) {
        Map<String, AttributeValue> fields = new HashMap<>();
        fields.put("name", s(alarm.name()));
        fields.put("state", s(alarm.state()));
        if (alarm.since() != null) {
            fields.put("since", s(alarm.since().toString()));
        }
        if (alarm.reason() != null) {
            fields.put("reason", s(alarm.reason()));
        }
        return AttributeValue.fromM(fields);
    }

    private static AlarmStatus alarm(Map<String, AttributeValue> fields) {
        return new AlarmStatus(text(fields, "name"), text(fields, "state"),
                fields.containsKey("since") ? instant(fields, "since") : null,
                fields.containsKey("reason") ? text(fields, "reason") : null);
    }

    private static String text(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        if (value == null || value.s() == null) {
            throw new IllegalStateException("approval item lacks the text attribute " + name);
        }
        return value.s();
    }

    private static Instant instant(Map<String, AttributeValue> item, String name) {
        return Instant.parse(text(item, name));
    }
}
