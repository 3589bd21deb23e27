package dev.rollout.local.aws;

import software.amazon.awssdk.services.cloudwatch.model.StateValue;

/** The state an evaluation puts an alarm in, with CloudWatch's human reason and its JSON reason data. */
record AlarmVerdict(StateValue state, String reason, String reasonData) {
}
