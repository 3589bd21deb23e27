package dev.rollout.local.asl;

import java.util.Arrays;
import java.util.Optional;

/** The Task resources the local runtime runs: the Lambda integrations, plain and callback. */
enum LambdaResource {
    INVOKE("arn:aws:states:::lambda:invoke", "invoke"),
    INVOKE_WAIT_FOR_TASK_TOKEN("arn:aws:states:::lambda:invoke.waitForTaskToken", "invoke.waitForTaskToken");

    /** How the execution history names the resource type of these tasks. */
    static final String RESOURCE_TYPE = "lambda";

    private final String arn;
    private final String historyName;

    LambdaResource(String arn, String historyName) {
        this.arn = arn;
        this.historyName = historyName;
    }

    static Optional<LambdaResource> byArn(String arn) {
        return Arrays.stream(values()).filter(resource -> resource.arn.equals(arn)).findFirst();
    }

    String arn() {
        return arn;
    }

    String historyName() {
        return historyName;
    }

    boolean waitsForTaskToken() {
        return this == INVOKE_WAIT_FOR_TASK_TOKEN;
    }
}
