package dev.rollout.local.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.rollout.local.aws.AwsAssertions.assertAwsError;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.lambda.model.CreateAliasRequest;
import software.amazon.awssdk.services.lambda.model.GetAliasResponse;
import software.amazon.awssdk.services.lambda.model.InvalidParameterValueException;
import software.amazon.awssdk.services.lambda.model.LambdaException;
import software.amazon.awssdk.services.lambda.model.PreconditionFailedException;
import software.amazon.awssdk.services.lambda.model.ResourceConflictException;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.lambda.model.UpdateAliasResponse;

class InMemoryLambdaAliasTest {

    private final ManualClock clock = new ManualClock(Instant.parse("2025-01-06T10:00:00Z"));
    private final InMemoryLambda lambda = new InMemoryLambda(clock);

    @BeforeEach
    void threeVersionsAndAnAliasOnTheFirst() {
        lambda.addFunction("orders");
        lambda.publishNewVersion("orders");
        lambda.publishNewVersion("orders");
        lambda.publishNewVersion("orders");
        lambda.createAlias(r -> r.functionName("orders").name("live").functionVersion("1"));
    }

    @Test
    void shiftingWeightRoutesThatShareToTheNewVersionUnderANewRevision() {
        String before = alias().revisionId();

        UpdateAliasResponse updated = shift("2", 0.1);

        assertEquals("1", updated.functionVersion());
        assertEquals(Map.of("2", 0.1), updated.routingConfig().additionalVersionWeights());
        assertNotEquals(before, updated.revisionId());
        assertEquals(updated.revisionId(), alias().revisionId());
        assertEquals(Map.of("2", 0.1), alias().routingConfig().additionalVersionWeights());
    }

    @Test
    void everyUpdateMakesANewRevisionEvenWhenNothingChanges() {
        String before = alias().revisionId();

        lambda.updateAlias(r -> r.functionName("orders").name("live"));

        assertNotEquals(before, alias().revisionId());
    }

    @Test
    void aWeightOfOneIsRefusedAsAValidationError() {
        LambdaException error = assertAwsError(LambdaException.class, 400, "ValidationException",
                () -> shift("2", 1.0));
        assertTrue(error.awsErrorDetails().errorMessage().contains(
                "Value '{2=1.0}' at 'routingConfig.additionalVersionWeights' failed to satisfy constraint"),
                error.getMessage());
        assertNull(alias().routingConfig());
    }

    @Test
    void aNegativeWeightIsRefusedAsAValidationError() {
        assertAwsError(LambdaException.class, 400, "ValidationException", () -> shift("2", -0.1));
    }

    @Test
    void aWeightOfZeroIsAccepted() {
        assertEquals(Map.of("2", 0.0), shift("2", 0.0).routingConfig().additionalVersionWeights());
    }

    @Test
    void twoAdditionalVersionsAreRefused() {
        InvalidParameterValueException error = assertAwsError(InvalidParameterValueException.class, 400,
                "InvalidParameterValueException",
                () -> lambda.updateAlias(r -> r.functionName("orders").name("live")
                        .routingConfig(c -> c.additionalVersionWeights(Map.of("2", 0.1, "3", 0.1)))));
        assertEquals("Number of items in AdditionalVersionWeights cannot be greater than 1",
                error.awsErrorDetails().errorMessage());
    }

    @Test
    void thePrimaryVersionAsAdditionalVersionIsRefused() {
        InvalidParameterValueException error = assertAwsError(InvalidParameterValueException.class, 400,
                "InvalidParameterValueException", () -> shift("1", 0.1));
        assertEquals("Invalid function version 1. Function version 1 is already included in routing configuration.",
                error.awsErrorDetails().errorMessage());
    }

    @Test
    void latestAsAdditionalVersionIsRefused() {
        LambdaException error = assertAwsError(LambdaException.class, 400, "ValidationException",
                () -> shift("$LATEST", 0.1));
        assertTrue(error.awsErrorDetails().errorMessage().contains("regular expression pattern: [0-9]+"),
                error.getMessage());
    }

    @Test
    void routingOnAnAliasOfLatestIsRefused() {
        InvalidParameterValueException error = assertAwsError(InvalidParameterValueException.class, 400,
                "InvalidParameterValueException",
                () -> lambda.createAlias(r -> r.functionName("orders").name("dev").functionVersion("$LATEST")
                        .routingConfig(c -> c.additionalVersionWeights(Map.of("2", 0.5)))));
        assertEquals("$LATEST is not supported for an alias pointing to more than 1 version",
                error.awsErrorDetails().errorMessage());
    }

    @Test
    void anUnknownAdditionalVersionIsNotFound() {
        ResourceNotFoundException error = assertAwsError(ResourceNotFoundException.class, 404,
                "ResourceNotFoundException", () -> shift("9", 0.1));
        assertEquals("Function not found: arn:aws:lambda:us-east-1:123456789012:function:orders:9",
                error.awsErrorDetails().errorMessage());
    }

    @Test
    void anUnknownPrimaryVersionIsNotFound() {
        assertAwsError(ResourceNotFoundException.class, 404, "ResourceNotFoundException",
                () -> lambda.updateAlias(r -> r.functionName("orders").name("live").functionVersion("9")));
        assertEquals("1", alias().functionVersion());
    }

    @Test
    void aStaleRevisionIdIsRefusedAndLeavesTheAliasUnchanged() {
        String stale = alias().revisionId();
        shift("2", 0.1);

        assertAwsError(PreconditionFailedException.class, 412, "PreconditionFailedException",
                () -> lambda.updateAlias(r -> r.functionName("orders").name("live").revisionId(stale)
                        .routingConfig(c -> c.additionalVersionWeights(Map.of("2", 0.5)))));

        assertEquals(Map.of("2", 0.1), alias().routingConfig().additionalVersionWeights());
    }

    @Test
    void theCurrentRevisionIdIsAccepted() {
        String current = alias().revisionId();

        UpdateAliasResponse updated = lambda.updateAlias(r -> r.functionName("orders").name("live")
                .revisionId(current).routingConfig(c -> c.additionalVersionWeights(Map.of("2", 0.5))));

        assertEquals(Map.of("2", 0.5), updated.routingConfig().additionalVersionWeights());
    }

    @Test
    void promotingTheAdditionalVersionWhileItIsStillInTheRoutingIsRefused() {
        shift("2", 0.5);

        assertAwsError(InvalidParameterValueException.class, 400, "InvalidParameterValueException",
                () -> lambda.updateAlias(r -> r.functionName("orders").name("live").functionVersion("2")));
    }

    @Test
    void promotingAndClearingTheRoutingInOneCallIsAccepted() {
        shift("2", 0.5);

        UpdateAliasResponse promoted = lambda.updateAlias(r -> r.functionName("orders").name("live")
                .functionVersion("2").routingConfig(c -> c.additionalVersionWeights(Map.of())));

        assertEquals("2", promoted.functionVersion());
        assertNull(promoted.routingConfig());
    }

    @Test
    void omittedFieldsKeepTheirValues() {
        shift("2", 0.25);

        UpdateAliasResponse updated = lambda.updateAlias(r -> r.functionName("orders").name("live")
                .description("canary"));

        assertEquals("1", updated.functionVersion());
        assertEquals("canary", updated.description());
        assertEquals(Map.of("2", 0.25), updated.routingConfig().additionalVersionWeights());
    }

    @Test
    void anUnknownAliasIsNotFoundWithItsArn() {
        ResourceNotFoundException error = assertAwsError(ResourceNotFoundException.class, 404,
                "ResourceNotFoundException", () -> lambda.getAlias(r -> r.functionName("orders").name("nope")));
        assertEquals("Cannot find alias arn: arn:aws:lambda:us-east-1:123456789012:function:orders:nope",
                error.awsErrorDetails().errorMessage());
    }

    @Test
    void creatingAnAliasThatExistsConflicts() {
        assertAwsError(ResourceConflictException.class, 409, "ResourceConflictException",
                () -> lambda.createAlias(r -> r.functionName("orders").name("live").functionVersion("2")));
    }

    @Test
    void anAliasNameOfOnlyDigitsIsRefused() {
        assertAwsError(LambdaException.class, 400, "ValidationException",
                () -> lambda.createAlias(CreateAliasRequest.builder().functionName("orders").name("42")
                        .functionVersion("1").build()));
    }

    @Test
    void aliasesAreListedByTheVersionsTheyInvoke() {
        lambda.createAlias(r -> r.functionName("orders").name("beta").functionVersion("3"));
        shift("2", 0.1);

        assertEquals(java.util.List.of("live"), lambda.listAliases(r -> r.functionName("orders").functionVersion("2"))
                .aliases().stream().map(a -> a.name()).toList());
        assertEquals(java.util.List.of("beta", "live"), lambda.listAliases(r -> r.functionName("orders"))
                .aliases().stream().map(a -> a.name()).toList());
        assertEquals(java.util.List.of("beta", "live"), lambda.listAliasesPaginator(r -> r.functionName("orders")
                .maxItems(1)).aliases().stream().map(a -> a.name()).toList());
    }

    private UpdateAliasResponse shift(String version, double weight) {
        return lambda.updateAlias(r -> r.functionName("orders").name("live")
                .routingConfig(c -> c.additionalVersionWeights(Map.of(version, weight))));
    }

    private GetAliasResponse alias() {
        return lambda.getAlias(r -> r.functionName("orders").name("live"));
    }
}
