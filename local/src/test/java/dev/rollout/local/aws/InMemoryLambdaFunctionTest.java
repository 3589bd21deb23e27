package dev.rollout.local.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static dev.rollout.local.aws.AwsAssertions.assertAwsError;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.lambda.model.GetFunctionConfigurationResponse;
import software.amazon.awssdk.services.lambda.model.InvalidParameterValueException;
import software.amazon.awssdk.services.lambda.model.LambdaException;
import software.amazon.awssdk.services.lambda.model.ListVersionsByFunctionResponse;
import software.amazon.awssdk.services.lambda.model.PreconditionFailedException;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

class InMemoryLambdaFunctionTest {

    private static final String ARN = "arn:aws:lambda:us-east-1:123456789012:function:orders";

    private final ManualClock clock = new ManualClock(Instant.parse("2025-01-06T10:00:00Z"));
    private final InMemoryLambda lambda = new InMemoryLambda(clock);

    @BeforeEach
    void aFunction() {
        assertEquals(ARN, lambda.addFunction("orders"));
    }

    @Test
    void versionsAreNumberedFromOneAndListedAfterLatest() {
        lambda.publishNewVersion("orders");
        lambda.publishNewVersion("orders");

        List<FunctionConfiguration> versions =
                lambda.listVersionsByFunction(r -> r.functionName("orders")).versions();

        assertEquals(List.of("$LATEST", "1", "2"), versions.stream().map(FunctionConfiguration::version).toList());
        assertEquals(List.of(ARN + ":$LATEST", ARN + ":1", ARN + ":2"),
                versions.stream().map(FunctionConfiguration::functionArn).toList());
    }

    @Test
    void publishingUnchangedCodeReturnsTheLatestVersionInsteadOfANewOne() {
        String first = lambda.publishVersion(r -> r.functionName("orders")).version();
        String again = lambda.publishVersion(r -> r.functionName("orders")).version();

        assertEquals("1", first);
        assertEquals("1", again);
        assertEquals("2", lambda.publishNewVersion("orders"));
    }

    @Test
    void publishingWithAStaleRevisionIdIsRefused() {
        String stale = lambda.getFunctionConfiguration(r -> r.functionName("orders")).revisionId();
        lambda.publishNewVersion("orders");

        assertAwsError(PreconditionFailedException.class, 412, "PreconditionFailedException",
                () -> lambda.publishVersion(r -> r.functionName("orders").revisionId(stale)));
    }

    @Test
    void aQualifierResolvesToLatestAVersionOrAnAliasedVersion() {
        lambda.publishNewVersion("orders");
        lambda.publishNewVersion("orders");
        lambda.createAlias(r -> r.functionName("orders").name("live").functionVersion("1"));

        GetFunctionConfigurationResponse unqualified = lambda.getFunctionConfiguration(r -> r.functionName("orders"));
        GetFunctionConfigurationResponse version = lambda.getFunctionConfiguration(
                r -> r.functionName("orders").qualifier("2"));
        GetFunctionConfigurationResponse alias = lambda.getFunctionConfiguration(
                r -> r.functionName("orders").qualifier("live"));

        assertEquals("$LATEST", unqualified.version());
        assertEquals(ARN, unqualified.functionArn());
        assertEquals("2", version.version());
        assertEquals(ARN + ":2", version.functionArn());
        assertEquals("1", alias.version());
        assertEquals(ARN + ":live", alias.functionArn());
        assertNotEquals(version.codeSha256(), alias.codeSha256());
    }

    @Test
    void aFunctionIsFoundByNamePartialArnArnAndQualifiedArn() {
        lambda.publishNewVersion("orders");

        for (String name : List.of("orders", "123456789012:function:orders", ARN)) {
            assertEquals("orders", lambda.getFunction(r -> r.functionName(name)).configuration().functionName());
        }
        assertEquals("1", lambda.getFunction(r -> r.functionName(ARN + ":1")).configuration().version());
    }

    @Test
    void aQualifierInTheNameMustAgreeWithTheQualifierParameter() {
        lambda.publishNewVersion("orders");
        lambda.publishNewVersion("orders");

        assertAwsError(InvalidParameterValueException.class, 400, "InvalidParameterValueException",
                () -> lambda.getFunction(r -> r.functionName("orders:1").qualifier("2")));
    }

    @Test
    void anUnknownFunctionVersionOrAliasIsNotFoundWithItsArn() {
        ResourceNotFoundException function = assertAwsError(ResourceNotFoundException.class, 404,
                "ResourceNotFoundException", () -> lambda.getFunction(r -> r.functionName("payments")));
        ResourceNotFoundException version = assertAwsError(ResourceNotFoundException.class, 404,
                "ResourceNotFoundException", () -> lambda.getFunction(r -> r.functionName("orders").qualifier("7")));
        ResourceNotFoundException alias = assertAwsError(ResourceNotFoundException.class, 404,
                "ResourceNotFoundException",
                () -> lambda.getFunctionConfiguration(r -> r.functionName("orders").qualifier("live")));

        assertEquals("Function not found: arn:aws:lambda:us-east-1:123456789012:function:payments",
                function.awsErrorDetails().errorMessage());
        assertEquals("Function not found: " + ARN + ":7", version.awsErrorDetails().errorMessage());
        assertEquals("Function not found: " + ARN + ":live", alias.awsErrorDetails().errorMessage());
    }

    @Test
    void aFunctionArnOfAnotherRegionNamesNoFunctionHere() {
        assertAwsError(ResourceNotFoundException.class, 404, "ResourceNotFoundException",
                () -> lambda.getFunction(r -> r.functionName(
                        "arn:aws:lambda:eu-west-1:123456789012:function:orders")));
    }

    @Test
    void aMalformedFunctionNameIsAValidationError() {
        LambdaException error = assertAwsError(LambdaException.class, 400, "ValidationException",
                () -> lambda.getFunction(r -> r.functionName("orders/v2")));
        assertEquals(true, error.awsErrorDetails().errorMessage().contains("at 'functionName'"));
    }

    @Test
    void theRegionAndAccountAreConfigurable() {
        InMemoryLambda elsewhere = new InMemoryLambda(clock,
                new AwsAccount("eu-west-1", "210987654321"));

        assertEquals("arn:aws:lambda:eu-west-1:210987654321:function:orders", elsewhere.addFunction("orders"));
    }

    @Test
    void tagsAreSetListedAndRemovedOnTheFunctionArn() {
        lambda.tagResource(r -> r.resource(ARN).tags(Map.of("team", "payments", "tier", "1")));
        lambda.untagResource(r -> r.resource(ARN).tagKeys("tier"));

        assertEquals(Map.of("team", "payments"), lambda.listTags(r -> r.resource(ARN)).tags());
        assertEquals(Map.of("team", "payments"), lambda.getFunction(r -> r.functionName("orders")).tags());
    }

    @Test
    void tagsOnAVersionOrAliasArnAreRefused() {
        lambda.publishNewVersion("orders");

        InvalidParameterValueException error = assertAwsError(InvalidParameterValueException.class, 400,
                "InvalidParameterValueException", () -> lambda.listTags(r -> r.resource(ARN + ":1")));
        assertEquals("Tags on function aliases and versions are not supported. Please specify a function ARN.",
                error.awsErrorDetails().errorMessage());
    }

    @Test
    void tagsNeedAnArnNotAName() {
        assertAwsError(LambdaException.class, 400, "ValidationException",
                () -> lambda.listTags(r -> r.resource("orders")));
    }

    @Test
    void versionsAreListedPageByPage() {
        for (int i = 0; i < 4; i++) {
            lambda.publishNewVersion("orders");
        }
        List<String> seen = new ArrayList<>();
        String marker = null;
        int pages = 0;
        do {
            String current = marker;
            ListVersionsByFunctionResponse page = lambda.listVersionsByFunction(
                    r -> r.functionName("orders").maxItems(2).marker(current));
            page.versions().forEach(v -> seen.add(v.version()));
            marker = page.nextMarker();
            pages++;
        } while (marker != null);

        assertEquals(List.of("$LATEST", "1", "2", "3", "4"), seen);
        assertEquals(3, pages);
    }

    @Test
    void theSdkPaginatorFollowsVersionMarkersToTheEnd() {
        for (int i = 0; i < 4; i++) {
            lambda.publishNewVersion("orders");
        }
        assertEquals(List.of("$LATEST", "1", "2", "3", "4"),
                lambda.listVersionsByFunctionPaginator(r -> r.functionName("orders").maxItems(2)).versions().stream()
                        .map(FunctionConfiguration::version).toList());
        assertEquals(3, lambda.listVersionsByFunctionPaginator(r -> r.functionName("orders").maxItems(2)).stream()
                .count());
    }

    @Test
    void theLastPageHasNoNextMarker() {
        assertNull(lambda.listVersionsByFunction(r -> r.functionName("orders")).nextMarker());
    }
}
