package dev.rollout.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import dev.rollout.ProjectRoot;
import dev.rollout.local.CloudFormationYaml;

/**
 * The serving app in two Regions behind one domain name (docs/regions.md): a Regional custom domain name per Region,
 * and in one stack the two weighted records with their health checks, all behind conditions so that a stack without
 * a domain deploys as before.
 */
class RegionsTemplateTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Every resource of the two-Region setup, with the condition it exists under. */
    private static final Map<String, String> CONDITIONAL = Map.of(
            "GreeterDomainName", "ServesCustomDomain",
            "GreeterBasePathMapping", "ServesCustomDomain",
            "RegionAHealthCheck", "CreatesWeightedRecords",
            "RegionBHealthCheck", "CreatesWeightedRecords",
            "RegionAWeightedRecord", "CreatesWeightedRecords",
            "RegionBWeightedRecord", "CreatesWeightedRecords");

    private static JsonNode resources;

    @BeforeAll
    static void readTemplate() throws Exception {
        resources = CloudFormationYaml.read(ProjectRoot.path().resolve("template.yaml")).path("Resources");
    }

    @Test
    void cfnLintFindsNoErrorsInARegionalStackWithItsCustomDomain() throws Exception {
        TemplateTest.assertLintClean("--parameters", "DomainName=api.example.com",
                "CertificateArn=arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d");
    }

    @Test
    void cfnLintFindsNoErrorsInTheStackThatAlsoCreatesTheWeightedRecords() throws Exception {
        TemplateTest.assertLintClean("--parameters", "DomainName=api.example.com",
                "CertificateArn=arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d",
                "HostedZoneId=Z0123456789ABCDEFGHIJ",
                "RegionA=eu-west-1", "RegionAEndpoint=d-abc123def4.execute-api.eu-west-1.amazonaws.com",
                "RegionAEndpointHostedZoneId=ZLY8HYME6SFDD",
                "RegionAHealthCheckHost=abc123defg.execute-api.eu-west-1.amazonaws.com",
                "RegionB=us-east-1", "RegionBEndpoint=d-xyz789uvw0.execute-api.us-east-1.amazonaws.com",
                "RegionBEndpointHostedZoneId=Z1UJRXOUMOOFQ8",
                "RegionBHealthCheckHost=xyz789abcd.execute-api.us-east-1.amazonaws.com",
                "ManagedHostedZoneIds=Z0123456789ABCDEFGHIJ", "ManagedRecordNames=api.example.com");
    }

    @Test
    void everyResourceOfTheTwoRegionSetupExistsOnlyUnderItsCondition() {
        CONDITIONAL.forEach((logicalId, condition) ->
                assertEquals(condition, resources.path(logicalId).path("Condition").asText(), logicalId));
    }

    @Test
    void eachRegionsWeightedRecordIsNamedByItsRegionAndCarriesItsOwnHealthCheck() throws Exception {
        for (String region : List.of("RegionA", "RegionB")) {
            JsonNode properties = resources.path(region + "WeightedRecord").path("Properties");
            assertEquals(JSON.readTree("{\"Ref\": \"" + region + "\"}"), properties.path("SetIdentifier"), region);
            assertEquals(JSON.readTree("{\"Ref\": \"" + region + "HealthCheck\"}"), properties.path("HealthCheckId"));
            assertEquals(JSON.readTree("{\"Ref\": \"DomainName\"}"), properties.path("Name"));
            assertEquals(JSON.readTree("{\"Ref\": \"" + region + "Endpoint\"}"), properties.at("/AliasTarget/DNSName"));
            JsonNode check = resources.path(region + "HealthCheck").path("Properties").path("HealthCheckConfig");
            assertEquals(JSON.readTree("{\"Ref\": \"" + region + "HealthCheckHost\"}"),
                    check.path("FullyQualifiedDomainName"));
            assertEquals("HTTPS", check.path("Type").asText());
            assertEquals("/live/", check.path("ResourcePath").asText(), "the serving API's stage");
        }
    }

    @Test
    void theWeightsAreLiteralsSoThatNoDeployMovesTrafficARolloutMoved() {
        assertEquals(255, resources.at("/RegionAWeightedRecord/Properties/Weight").asInt());
        assertTrue(resources.at("/RegionAWeightedRecord/Properties/Weight").isNumber());
        assertEquals(0, resources.at("/RegionBWeightedRecord/Properties/Weight").asInt());
        assertTrue(resources.at("/RegionBWeightedRecord/Properties/Weight").isNumber());
    }

    @Test
    void theServingApiIsRegionalWhenItServesACustomDomainAndAsBeforeOtherwise() throws Exception {
        assertEquals(JSON.readTree("{\"Fn::If\": [\"ServesCustomDomain\", \"REGIONAL\", \"EDGE\"]}"),
                resources.at("/GreeterApi/Properties/EndpointConfiguration/Type"));
        JsonNode mapping = resources.path("GreeterBasePathMapping").path("Properties");
        assertEquals(JSON.readTree("{\"Ref\": \"GreeterApi\"}"), mapping.path("RestApiId"));
        assertEquals("live", mapping.path("Stage").asText());
    }
}
