package dev.rollout.local.asl;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A state machine's ARN, from which its executions' ARNs and the region of its tasks follow. */
record StateMachineArn(String arn, String partition, String region, String account, String name) {
    private static final Pattern FORM =
            Pattern.compile("arn:(aws[a-z-]*):states:([a-z0-9-]+):(\\d{12}):stateMachine:([A-Za-z0-9_-]{1,80})");

    static StateMachineArn parse(String arn) {
        Matcher matcher = FORM.matcher(arn);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("Not a state machine ARN (arn:aws:states:<region>:<account>"
                    + ":stateMachine:<name>): " + arn);
        }
        return new StateMachineArn(arn, matcher.group(1), matcher.group(2), matcher.group(3), matcher.group(4));
    }

    String executionArn(String executionName) {
        return "arn:" + partition + ":states:" + region + ":" + account + ":execution:" + name + ":" + executionName;
    }
}
