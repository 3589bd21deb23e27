package dev.rollout.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import dev.rollout.handlers.ApprovalPage;
import dev.rollout.handlers.ControlDecisions;
import dev.rollout.handlers.ControlPage;
import dev.rollout.handlers.Restore;
import dev.rollout.handlers.Sweep;
import dev.rollout.local.asl.ExecutionHandle;
import dev.rollout.local.asl.ExecutionStatus;
import dev.rollout.local.asl.LocalStepFunctions;
import dev.rollout.local.asl.StateMachineDefinition;
import dev.rollout.local.asl.TaskFailedException;
import dev.rollout.local.aws.InMemoryStepFunctions;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * The rollout state machine of this project, loaded from {@code statemachine/rollout.asl.json} and
 * {@code template.yaml}, running on an embedded AWS, with the template's rule on alarm state changes interrupting
 * its waits.
 */
public final class LocalRuntime {
    private static final Map<List<Object>, StateMachineDefinition> DEFINITIONS = new ConcurrentHashMap<>();

    private final LocalAws aws;
    private final LocalStepFunctions stepFunctions;
    private final AlarmReactions alarmReactions;
    private final SimulatedHooks hooks;
    private InMemoryStepFunctions taskAnswers;

    private LocalRuntime(LocalAws aws, LocalStepFunctions stepFunctions, AlarmReactions alarmReactions,
                         SimulatedHooks hooks) {
        this.aws = aws;
        this.stepFunctions = stepFunctions;
        this.alarmReactions = alarmReactions;
        this.hooks = hooks;
    }

    /**
     * @param projectRoot  the folder holding template.yaml and statemachine/
     * @param beforeInvoke told the logical ID of each task function just before it runs (fault injection hooks)
     */
    public static LocalRuntime load(Path projectRoot, LocalAws aws, Consumer<String> beforeInvoke) throws IOException {
        return load(projectRoot, aws, (function, invocation) -> {
            beforeInvoke.accept(function);
            return invocation.run();
        }, UnaryOperator.identity());
    }

    /**
     * @param invocations wraps each invocation of a task function or hook (faults of the invocation itself)
     * @param definitionText the state machine's text as it is loaded: the fault matrix gives it a shorter
     *                       {@code TimeoutSeconds}; otherwise the identity
     */
    public static LocalRuntime load(Path projectRoot, LocalAws aws, TaskInvocations invocations,
                                    UnaryOperator<String> definitionText) throws IOException {
        TaskFunctions functions = TaskFunctions.fromTemplate(projectRoot.resolve("template.yaml"), aws);
        StateMachineDefinition loaded = definition(
                definitionText.apply(Files.readString(projectRoot.resolve("statemachine/rollout.asl.json"))),
                functions.substitutions());
        String stateMachineArn = "arn:aws:states:" + aws.account().region() + ":" + aws.account().accountId()
                + ":stateMachine:rollout";
        LocalStepFunctions[] machine = new LocalStepFunctions[1];
        SimulatedHooks hooks = new SimulatedHooks(aws, () -> machine[0]);
        machine[0] = new LocalStepFunctions(loaded, stateMachineArn, aws.clock(),
                (function, payload) -> {
                    if (!aws.concurrency().admit()) {
                        // What the lambda:invoke integration reports when Lambda throttles the invocation.
                        throw new TaskFailedException("Lambda.TooManyRequestsException",
                                "Rate Exceeded. (Service: Lambda, Status Code: 429, Request ID: local)");
                    }
                    // The task functions are the template's; any other function a state invokes is a hook.
                    if (hooks.behaviour(function).isPresent()) {
                        return invocations.invoke(function, () -> hooks.invoke(function, payload));
                    }
                    return invocations.invoke(functions.logicalId(function), () -> functions.invoke(function, payload));
                });
        aws.executionHistories().attach(machine[0]);
        aws.callbacks().attach(machine[0]);
        AlarmReactions alarmReactions = AlarmReactions.attach(projectRoot.resolve("template.yaml"), aws,
                new ExecutorCallbacks(machine[0]));
        return new LocalRuntime(aws, machine[0], alarmReactions, hooks);
    }

    /**
     * The definition loaded (parsed, checked, its expressions compiled) once per JVM for each text and
     * substitutions, and shared by every runtime: a loaded definition holds no execution's state.
     */
    private static StateMachineDefinition definition(String text, Map<String, String> substitutions) {
        return DEFINITIONS.computeIfAbsent(List.of(text, new TreeMap<>(substitutions)),
                key -> StateMachineDefinition.load(text, substitutions));
    }

    public static LocalRuntime load(Path projectRoot, LocalAws aws) throws IOException {
        return load(projectRoot, aws, function -> { });
    }

    public LocalAws aws() {
        return aws;
    }

    public LocalStepFunctions stepFunctions() {
        return stepFunctions;
    }

    /** The EventBridge rule on alarm state changes, wired to this runtime's CloudWatch and executions. */
    public AlarmReactions alarmReactions() {
        return alarmReactions;
    }

    /** The hook functions of this runtime's account; add one before a rollout names it. */
    public SimulatedHooks hooks() {
        return hooks;
    }

    /**
     * The approval page as API Gateway invokes it in AWS, on this runtime's approvals table, its decisions
     * answering this runtime's executions. Serve it with {@link ApprovalServer} at {@link LocalAws#approvalLinks()}.
     */
    public ApprovalPage approvalPage() {
        return new ApprovalPage(aws.dynamoDbApi(), aws.approvalTable(), taskAnswersApi(), aws.clock());
    }

    /**
     * The control page (abort, promote now) as API Gateway invokes it in AWS, on this runtime's control table, its
     * decisions answering this runtime's executions. {@link ApprovalServer} serves it beside the approval page.
     */
    public ControlPage controlPage() {
        return new ControlPage(aws.dynamoDbApi(), aws.controlTable(), taskAnswersApi(), aws.clock());
    }

    /** What {@code bin/control} decides with, on this runtime's control table and executions. */
    public ControlDecisions controlDecisions() {
        return new ControlDecisions(aws.dynamoDbApi(), aws.controlTable(), taskAnswersApi(), aws.clock());
    }

    /**
     * The scheduled sweeper as the template deploys it, on this runtime's tables, aliases and executions: it reads
     * executions as DescribeExecution does and answers their tasks as the approval page does.
     */
    public Sweep sweeper() {
        return new Sweep(aws.dynamoDbApi(), taskAnswersApi(), aws.targets(), aws.snsApi(),
                new Sweep.Settings(aws.approvalTable(), aws.controlTable(), aws.noticeTable(), new Restore.Settings(
                        stepFunctions.stateMachineArn(), aws.topicArn(), aws.leaseTable())),
                aws.clock());
    }

    /**
     * Step Functions as the approval page and the sweeper call it: task answers reach this runtime's executions. One
     * client for both, as both call one service: a fault planned on it (a throttled SendTaskFailure) meets them both.
     */
    public synchronized InMemoryStepFunctions taskAnswers() {
        if (taskAnswers == null) {
            taskAnswers = aws.metered(InMemoryStepFunctions.builder(aws.clock()).account(aws.account())
                    .callbackTasks(new ExecutorCallbacks(stepFunctions))
                    .executionHistories(aws.executionHistories())
                    .sharingFaultsOf(aws.stepFunctions())
                    .build());
        }
        return taskAnswers;
    }

    /** {@link #taskAnswers()} as the functions call it: a lost response is re-sent, as the SDK does. */
    private SfnClient taskAnswersApi() {
        return taskAnswers().faults().resending(SfnClient.class, taskAnswers());
    }

    /** Starts an execution, as StartExecution on the deployed state machine. */
    public ExecutionHandle start(String executionName, JsonNode input) {
        return stepFunctions.start(executionName, input);
    }

    /** Runs the clock until the execution ends; false if nothing was left to run before it did. */
    public boolean runToEnd(ExecutionHandle execution) {
        return aws.clock().runUntil(() -> execution.status() != ExecutionStatus.RUNNING);
    }
}
