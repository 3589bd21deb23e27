package dev.rollout.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.regions.Region;

/** Route 53 has one global endpoint per partition, whichever Region the function runs in. */
class Route53ClientRegionTest {

    static Stream<Arguments> regions() {
        return Stream.of(
                Arguments.of("a function in eu-west-1 calls the global endpoint of the aws partition", "eu-west-1",
                        Region.AWS_GLOBAL),
                Arguments.of("a function in us-east-1 calls it too", "us-east-1", Region.AWS_GLOBAL),
                Arguments.of("a function in a China Region calls the aws-cn global endpoint", "cn-north-1",
                        Region.AWS_CN_GLOBAL),
                Arguments.of("a function in GovCloud calls the aws-us-gov global endpoint", "us-gov-west-1",
                        Region.AWS_US_GOV_GLOBAL));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("regions")
    void route53IsCalledInThePartitionsGlobalRegion(String sentence, String functionRegion, Region global) {
        assertEquals(global, Clients.globalRegion(functionRegion));
    }
}
