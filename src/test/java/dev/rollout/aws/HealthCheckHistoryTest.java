package dev.rollout.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataRequest;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;

/** The whole minutes of HealthCheckStatus a window asks CloudWatch for. */
class HealthCheckHistoryTest {

    @ParameterizedTest(name = "a window from {0} to {1} asks for {2} to {3}")
    @CsvSource({
            // CloudWatch refuses an end equal to the start: a fraction of a second into a minute is that whole minute.
            "2026-11-29T06:21:00.100Z, 2026-11-29T06:21:00.600Z, 2026-11-29T06:21:00Z, 2026-11-29T06:22:00Z",
            "2026-11-29T06:20:59.900Z, 2026-11-29T06:21:00.400Z, 2026-11-29T06:20:00Z, 2026-11-29T06:22:00Z",
            "2026-11-29T06:20:30Z, 2026-11-29T06:25:00Z, 2026-11-29T06:20:00Z, 2026-11-29T06:25:00Z",
            "2026-11-29T06:20:30Z, 2026-11-29T06:25:00.001Z, 2026-11-29T06:20:00Z, 2026-11-29T06:26:00Z"})
    void aWindowIsReadInTheWholeMinutesItTouches(Instant from, Instant to, Instant start, Instant end) {
        List<GetMetricDataRequest> asked = new ArrayList<>();
        CloudWatchClient cloudWatch = new CloudWatchClient() {
            @Override
            public GetMetricDataResponse getMetricData(GetMetricDataRequest request) {
                asked.add(request);
                return GetMetricDataResponse.builder().build();
            }

            @Override
            public String serviceName() {
                return "monitoring";
            }

            @Override
            public void close() {
            }
        };
        assertEquals(Optional.empty(), new HealthCheckHistory(cloudWatch).firstUnhealthy("hc-1", from, to));
        assertEquals(List.of(start + " " + end),
                asked.stream().map(request -> request.startTime() + " " + request.endTime()).toList());
    }
}
