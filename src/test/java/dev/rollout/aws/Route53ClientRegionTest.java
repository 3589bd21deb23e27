package dev.rollout.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.regions.Region;

/** Route 53 has one global endpoint per partition, and its metrics one Region, whichever Region the function runs in. */
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

    static Stream<Arguments> metricRegions() {
        return Stream.of(
                Arguments.of("a function in eu-west-1 reads health check metrics in us-east-1", "eu-west-1",
                        Region.US_EAST_1),
                Arguments.of("a function in us-east-1 reads them where it runs", "us-east-1", Region.US_EAST_1),
                Arguments.of("a function outside the aws partition reads them in its own Region", "cn-north-1",
                        Region.CN_NORTH_1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("metricRegions")
    void route53sHealthCheckMetricsAreReadWhereRoute53PublishesThem(String sentence, String functionRegion,
                                                                    Region metrics) {
        assertEquals(metrics, Clients.route53MetricsRegion(functionRegion));
    }
}
