package dev.rollout.domain;

import java.time.Instant;

/** A CloudWatch alarm's current state, as DescribeAlarms reports it. */
public record AlarmStatus(String name, String state, Instant since, String reason) {
    public static final String ALARM = "ALARM";

    public boolean isAlarming() {
        return ALARM.equals(state);
    }
}
