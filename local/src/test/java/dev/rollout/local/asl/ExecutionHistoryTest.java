package dev.rollout.local.asl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.rollout.local.asl.LocalRuntime.START;
import static dev.rollout.local.asl.LocalRuntime.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** What GetExecutionHistory would show, and what Step Functions would bill. */
class ExecutionHistoryTest {

    private static final String DEPLOY_AND_BAKE = """
            {"QueryLanguage": "JSONata", "StartAt": "Deploy", "States": {
              "Deploy": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                         "Arguments": {"FunctionName": "deploy", "Payload": {"version": "{% $states.input.version %}"}},
                         "Assign": {"deployed": "{% $states.result.Payload.version %}"},
                         "Output": {"v": "{% $states.result.Payload.version %}"}, "Next": "Bake"},
              "Bake": {"Type": "Wait", "Seconds": 600, "Next": "Done"},
              "Done": {"Type": "Succeed"}}}""";

    private final LocalRuntime runtime = new LocalRuntime();
    private final FakeFunctions functions = new FakeFunctions(runtime.clock).with("deploy", payload -> payload);

    @Test
    void aTaskPayloadHoldingAnAssignedObjectIsWrittenAsTheWholeTreeIsWritten() {
        FakeFunctions echo = new FakeFunctions(runtime.clock).with("use", payload -> payload);
        ExecutionHandle execution = runtime.run(runtime.machine("""
                {"QueryLanguage": "JSONata", "StartAt": "Keep", "States": {
                  "Keep": {"Type": "Pass", "Assign": {"plan": "{% $states.input.plan %}"}, "Next": "Use"},
                  "Use": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true,
                          "Arguments": {"FunctionName": "use", "Payload": {"plan": "{% $plan %}",
                                        "again": ["{% $plan %}", {"steps": "{% $plan.steps %}"}], "n": 1}}}}}""",
                echo), "{\"plan\": {\"name\": \"a \\\"quoted\\\" plan\", \"steps\": [{\"w\": 10}, {\"w\": 100}], \"empty\": {}}}");

        String scheduled = execution.history().stream().filter(event -> event.type() == HistoryEventType.TASK_SCHEDULED)
                .findFirst().orElseThrow().details(EventDetails.TaskScheduled.class).parameters();
        JsonNode plan = json("{\"name\": \"a \\\"quoted\\\" plan\", \"steps\": [{\"w\": 10}, {\"w\": 100}], \"empty\": {}}");
        ObjectNode payload = Json.MAPPER.createObjectNode();
        payload.set("plan", plan);
        payload.putArray("again").add(plan).addObject().set("steps", plan.get("steps"));
        payload.put("n", 1);
        assertEquals(Json.MAPPER.createObjectNode().put("FunctionName", "use").set("Payload", payload).toString(),
                scheduled);
    }

    @Test
    void theHistoryListsEachEventInOrderWithIdsVirtualTimestampsAndDetails() {
        ExecutionHandle execution = runtime.run(runtime.machine(DEPLOY_AND_BAKE, functions), "{\"version\": 7}");
        List<HistoryEvent> history = execution.history();

        assertEquals(List.of(HistoryEventType.EXECUTION_STARTED, HistoryEventType.TASK_STATE_ENTERED,
                HistoryEventType.TASK_SCHEDULED, HistoryEventType.TASK_STARTED, HistoryEventType.TASK_SUCCEEDED,
                HistoryEventType.TASK_STATE_EXITED, HistoryEventType.WAIT_STATE_ENTERED,
                HistoryEventType.WAIT_STATE_EXITED, HistoryEventType.SUCCEED_STATE_ENTERED,
                HistoryEventType.SUCCEED_STATE_EXITED, HistoryEventType.EXECUTION_SUCCEEDED),
                LocalRuntime.types(execution));
        assertEquals(LongStream.rangeClosed(1, 11).boxed().collect(Collectors.toList()),
                history.stream().map(HistoryEvent::id).collect(Collectors.toList()));
        assertEquals(LongStream.range(0, 11).boxed().collect(Collectors.toList()),
                history.stream().map(HistoryEvent::previousEventId).collect(Collectors.toList()));
        assertEquals(START, history.get(6).timestamp());
        assertEquals(START.plusSeconds(600), history.get(7).timestamp());

        assertEquals(new EventDetails.TaskScheduled("lambda", "invoke", "eu-west-1",
                        "{\"FunctionName\":\"deploy\",\"Payload\":{\"version\":7}}", null),
                history.get(2).details());
        assertEquals(new EventDetails.TaskSucceeded("lambda", "invoke",
                        "{\"ExecutedVersion\":\"$LATEST\",\"Payload\":{\"version\":7},\"StatusCode\":200}"),
                history.get(4).details());
        assertEquals(new EventDetails.StateExited("Deploy", "{\"v\":7}", Map.of("deployed", "7")),
                history.get(5).details());
        assertEquals(new EventDetails.StateEntered("Bake", "{\"v\":7}"), history.get(6).details());
        assertEquals(new EventDetails.ExecutionSucceeded("{\"v\":7}"), history.get(10).details());
    }

    @Test
    void jacksonWritesTheHistoryAsTheStepFunctionsAPIsEvents() throws Exception {
        FakeFunctions failing = new FakeFunctions(runtime.clock).with("deploy", payload -> {
            throw new TaskFailedException("Rollout.Conflict", "alias moved");
        });
        ExecutionHandle execution = runtime.run(runtime.machine(DEPLOY_AND_BAKE, failing), "{\"version\": 7}");

        JsonNode events = json(LocalRuntime.MAPPER.writeValueAsString(Map.of("events", execution.history())))
                .get("events");

        assertEquals(json("""
                {"timestamp": "2025-01-01T00:00:00Z", "type": "ExecutionStarted", "id": 1, "previousEventId": 0,
                 "executionStartedEventDetails": {"input": "{\\"version\\":7}"}}"""), events.get(0));
        assertEquals(json("""
                {"timestamp": "2025-01-01T00:00:00Z", "type": "TaskFailed", "id": 5, "previousEventId": 4,
                 "taskFailedEventDetails": {"resourceType": "lambda", "resource": "invoke",
                                            "error": "Rollout.Conflict", "cause": "alias moved"}}"""), events.get(4));
        assertEquals(json("""
                {"timestamp": "2025-01-01T00:00:00Z", "type": "ExecutionFailed", "id": 6, "previousEventId": 5,
                 "executionFailedEventDetails": {"error": "Rollout.Conflict", "cause": "alias moved"}}"""),
                events.get(5));
    }

    @Test
    void stateTransitionsCountEachStateEnteredAndEachRetryAsStepFunctionsBillsThem() {
        FakeFunctions flaky = new FakeFunctions(runtime.clock).with("deploy", new FakeFunctions.Function() {
            private int calls;

            @Override
            public JsonNode apply(JsonNode payload) throws TaskFailedException {
                if (++calls < 3) {
                    throw new TaskFailedException("Throttled", "slow down");
                }
                return payload;
            }
        });
        ExecutionHandle execution = runtime.run(runtime.machine(DEPLOY_AND_BAKE.replace(
                "\"Next\": \"Bake\"", "\"Retry\": [{\"ErrorEquals\": [\"Throttled\"]}], \"Next\": \"Bake\""), flaky),
                "{\"version\": 7}");

        assertEquals(ExecutionStatus.SUCCEEDED, execution.status());
        assertEquals(5, execution.stateTransitions(), "three states entered and two retries");
    }

    @Test
    void aLoopThatNeverEndsFailsWithStatesRuntimeWhenTheHistoryIsFullInsteadOfHanging() {
        ExecutionHandle execution = runtime.run("""
                {"QueryLanguage": "JSONata", "StartAt": "Ping", "States": {
                  "Ping": {"Type": "Pass", "Next": "Pong"},
                  "Pong": {"Type": "Pass", "Next": "Ping"}}}""", "{}");

        assertEquals(ExecutionStatus.FAILED, execution.status());
        assertEquals("States.Runtime", execution.error().orElseThrow());
        int eventsBeforeTheFailure = execution.history().size() - 1;
        assertTrue(eventsBeforeTheFailure >= ExecutionRun.MAX_HISTORY_EVENTS, "not before the history was full");
        assertTrue(eventsBeforeTheFailure < ExecutionRun.MAX_HISTORY_EVENTS + 2, "at the first state entered after");
    }

    @Test
    void anExecutionNameIsUniquePerStateMachineAndMustFitInAnARN() {
        LocalStepFunctions machine = runtime.machine(DEPLOY_AND_BAKE, functions);
        ExecutionHandle first = machine.start("rollout-7", json("{\"version\": 7}"));

        assertThrows(ExecutionAlreadyExistsException.class, () -> machine.start("rollout-7", json("{}")));
        assertThrows(IllegalArgumentException.class, () -> machine.start("rollout:7", json("{}")));
        assertEquals("arn:aws:states:eu-west-1:123456789012:execution:rollout:rollout-7", first.executionArn());
        assertEquals(List.of(first), machine.executions());
        assertEquals(first, machine.execution(first.executionArn()).orElseThrow());
    }
}
