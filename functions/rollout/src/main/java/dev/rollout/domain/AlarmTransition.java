package dev.rollout.domain;

import java.time.Instant;

/** One state change of an alarm, as DescribeAlarmHistory reports it. */
public record AlarmTransition(String alarm, Instant at, String from, String to, String reason) {
    public boolean entersAlarm() {
        return AlarmStatus.ALARM.equals(to);
    }
}
