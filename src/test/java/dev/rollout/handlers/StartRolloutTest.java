package dev.rollout.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import Rollout.InvalidInput;
import Rollout.Throttled;
import Rollout.Transient;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import dev.rollout.ProjectRoot;
import dev.rollout.domain.RolloutTrigger;
import dev.rollout.local.aws.AwsAccount;
import dev.rollout.local.aws.CloudTrailEvents;
import dev.rollout.local.aws.InMemoryStepFunctions;
import dev.rollout.local.aws.StartedExecution;
import dev.rollout.local.aws.StepFunctionsErrors;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/** StartRollout against an in-memory Lambda and Step Functions that enforce StartExecution's naming rules. */
class StartRolloutTest {
    private static final Path EVENTS = ProjectRoot.path()
            .resolve("events/automatic");
    private static final String CALLER = "arn:aws:iam::123456789012:user/alice";

    private final World world = new World();
    /** What the runner was handed, and the status each execution reports: running until a test ends it. */
    private final List<StartedExecution> ran = new ArrayList<>();
    private ExecutionStatus status = ExecutionStatus.RUNNING;
    private final InMemoryStepFunctions stepFunctions = InMemoryStepFunctions.builder(world.clock)
            .executionRunner(execution -> {
                ran.add(execution);
                return () -> status;
            })
            .build();
    private final String stateMachine = stepFunctions.addStateMachine("rollout");

    private StartRollout startRollout(String... managed) {
        return new StartRollout(world.lambda, stepFunctions, stateMachine, Set.of(managed));
    }

    /** The event CloudTrail delivers for a PublishVersion of {@code version} of {@code function}. */
    private JsonNode published(String function, String version) {
        return CloudTrailEvents.publishVersion(AwsAccount.DEFAULT, world.lambda.getFunctionConfiguration(request -> request
                .functionName(function).qualifier(version)), CALLER, world.clock.instant());
    }

    private void tag(String function, Map<String, String> tags) {
        world.lambda.tagResource(request -> request.resource(AwsAccount.DEFAULT.arn("lambda", "function:" + function))
                .tags(tags));
    }

    @Test
    void aPublishedVersionOfAManagedFunctionStartsItsRollout() {
        JsonNode output = startRollout(World.FUNCTION).handle(published(World.FUNCTION, "2"));
        assertEquals("started", output.path("outcome").asText(), output::toString);
        String name = RolloutTrigger.executionName(World.FUNCTION, "live", "2");
        assertEquals(name, output.path("executionName").asText());
        assertEquals(AwsAccount.DEFAULT.arn("states", "execution:rollout:" + name), output.path("executionArn").asText());
        assertEquals(1, ran.size());
        assertEquals(name, ran.get(0).name());
        assertEquals(output.get("input").toString(), ran.get(0).input());
        JsonNode input = output.get("input");
        assertEquals("orders", input.path("functionName").asText());
        assertEquals("live", input.path("alias").asText());
        assertEquals("2", input.path("targetVersion").asText());
        assertTrue(input.path("comment").asText().startsWith("Started automatically: PublishVersion20150331 by "
                + CALLER + " (CloudTrail event "), input::toString);
    }

    @Test
    void aDuplicatedEventWhileTheRolloutRunsStartsNothingMore() {
        JsonNode event = published(World.FUNCTION, "2");
        JsonNode first = startRollout(World.FUNCTION).handle(event);
        JsonNode again = startRollout(World.FUNCTION).handle(event.deepCopy());
        assertEquals(first.path("executionArn"), again.path("executionArn"));
        assertEquals(1, ran.size(), "Step Functions answers a repeated start of a running execution without running it");
        assertEquals(1, stepFunctions.executions().size());
    }

    @Test
    void aDuplicatedEventAfterTheRolloutEndedIsReportedAsAlreadyStarted() {
        JsonNode event = published(World.FUNCTION, "2");
        JsonNode first = startRollout(World.FUNCTION).handle(event);
        status = ExecutionStatus.SUCCEEDED;
        JsonNode again = startRollout(World.FUNCTION).handle(event);
        assertEquals("alreadyStarted", again.path("outcome").asText(), again::toString);
        assertEquals(first.path("executionArn"), again.path("executionArn"));
        assertEquals(1, ran.size());
    }

    @Test
    void theSampleEventFromEventsStartsTheSampleInput() throws Exception {
        String greeter = "lambda-rollout-greeter";
        world.lambda.addFunction(greeter);
        world.lambda.publishNewVersion(greeter);
        world.lambda.publishNewVersion(greeter);
        world.lambda.createAlias(request -> request.functionName(greeter).name("live").functionVersion("1"));
        JsonNode event = Json.MAPPER.readTree(EVENTS.resolve("publish-version.cloudtrail.json").toFile());
        JsonNode output = startRollout(greeter).handle(event);
        assertEquals(Json.MAPPER.readTree(EVENTS.resolve("publish-version.rollout-input.json").toFile()),
                output.get("input"));
        assertEquals(RolloutTrigger.executionName(greeter, "live", "2"), output.path("executionName").asText());
    }

    @Test
    void aFunctionThisStackDoesNotManageIsSkippedWithoutReadingItsTags() {
        JsonNode output = startRollout("payments").handle(published(World.FUNCTION, "2"));
        assertEquals("skipped", output.path("outcome").asText());
        assertTrue(output.path("reason").asText().startsWith("function orders is not managed by this stack"),
                output::toString);
        assertEquals(0, world.lambda.faults().calls("GetFunction"));
        assertTrue(ran.isEmpty());
    }

    @Test
    void theAliasTagChoosesTheAliasTheRolloutRunsOn() {
        world.lambda.createAlias(request -> request.functionName(World.FUNCTION).name("blue").functionVersion("1"));
        tag(World.FUNCTION, Map.of("rollout:alias", "blue"));
        JsonNode output = startRollout(World.FUNCTION).handle(published(World.FUNCTION, "2"));
        assertEquals("blue", output.at("/input/alias").asText());
        assertEquals(RolloutTrigger.executionName(World.FUNCTION, "blue", "2"), output.path("executionName").asText());
    }

    @Test
    void aMalformedAliasTagStartsARolloutThatPrepareRefusesNamingTheTag() {
        tag(World.FUNCTION, Map.of("rollout:alias", "blue green", "rollout:strategy", "AllAtOnce"));
        JsonNode output = startRollout(World.FUNCTION).handle(published(World.FUNCTION, "2"));
        assertEquals("started", output.path("outcome").asText(), output::toString);
        assertFalse(output.get("input").has("alias"), output::toString);
        InvalidInput refused = assertThrows(InvalidInput.class,
                () -> new Prepare(world.lambda, world.apiGateway, world.cloudWatch, world.clock).handle(output.get("input")));
        assertEquals(List.of("tag rollout:alias: expected an alias name (letters, digits, - and _, not all digits),"
                + " got \"blue green\""), refused.problems());
    }

    @Test
    void theFirstVersionOfAFunctionStartsNothing() {
        world.lambda.addFunction("reports");
        world.lambda.publishNewVersion("reports");
        JsonNode output = startRollout("reports").handle(published("reports", "1"));
        assertEquals("skipped", output.path("outcome").asText());
        assertTrue(output.path("reason").asText().startsWith("version 1 is the first version of reports"),
                output::toString);
        assertTrue(ran.isEmpty());
    }

    @Test
    void aThrottledStartIsRetriableAndTheRetryStartsTheRollout() {
        stepFunctions.faults().failNext("StartExecution", 1, StepFunctionsErrors::throttled);
        JsonNode event = published(World.FUNCTION, "2");
        assertThrows(Throttled.class, () -> startRollout(World.FUNCTION).handle(event));
        assertTrue(ran.isEmpty());
        assertEquals("started", startRollout(World.FUNCTION).handle(event).path("outcome").asText());
        assertEquals(1, ran.size());
    }
}
