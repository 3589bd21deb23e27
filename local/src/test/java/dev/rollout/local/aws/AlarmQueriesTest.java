package dev.rollout.local.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.rollout.local.aws.AwsAssertions.assertAwsError;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.model.AlarmHistoryItem;
import software.amazon.awssdk.services.cloudwatch.model.AlarmType;
import software.amazon.awssdk.services.cloudwatch.model.ComparisonOperator;
import software.amazon.awssdk.services.cloudwatch.model.DescribeAlarmHistoryResponse;
import software.amazon.awssdk.services.cloudwatch.model.DescribeAlarmsRequest;
import software.amazon.awssdk.services.cloudwatch.model.HistoryItemType;
import software.amazon.awssdk.services.cloudwatch.model.InvalidNextTokenException;
import software.amazon.awssdk.services.cloudwatch.model.InvalidParameterCombinationException;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.cloudwatch.model.ScanBy;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;

/** DescribeAlarms and DescribeAlarmHistory: filters and pagination. */
class AlarmQueriesTest {

    private static final Instant START = Instant.parse("2025-01-06T10:00:00Z");

    private final ManualClock clock = new ManualClock(START);
    private final InMemoryCloudWatch cloudWatch = new InMemoryCloudWatch(clock);

    @BeforeEach
    void threeAlarms() {
        for (String name : List.of("orders-errors", "orders-latency", "payments-errors")) {
            cloudWatch.putMetricAlarm(r -> r.alarmName(name).namespace("Shop").metricName(name)
                    .statistic(Statistic.SUM).period(60).evaluationPeriods(1).threshold(1.0)
                    .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD));
        }
    }

    @Test
    void alarmsAreDescribedByNamePrefixAndState() {
        setState("orders-latency", StateValue.ALARM, "drill");

        assertEquals(List.of("orders-errors", "payments-errors"),
                names(r -> r.alarmNames("payments-errors", "orders-errors")));
        assertEquals(List.of("orders-errors", "orders-latency"), names(r -> r.alarmNamePrefix("orders-")));
        assertEquals(List.of("orders-latency"), names(r -> r.stateValue(StateValue.ALARM)));
        assertEquals("arn:aws:cloudwatch:us-east-1:123456789012:alarm:orders-latency",
                cloudWatch.describeAlarms(r -> r.alarmNames("orders-latency")).metricAlarms().get(0).alarmArn());
    }

    @Test
    void unknownAlarmNamesDescribeNothingRatherThanFail() {
        assertEquals(List.of(), names(r -> r.alarmNames("nope")));
    }

    @Test
    void onlyCompositeAlarmsDescribeNoMetricAlarm() {
        assertEquals(List.of(), names(r -> r.alarmTypes(AlarmType.COMPOSITE_ALARM)));
    }

    @Test
    void namesAndAPrefixTogetherAreRefused() {
        assertAwsError(InvalidParameterCombinationException.class, 400, "InvalidParameterCombination",
                () -> cloudWatch.describeAlarms(r -> r.alarmNames("orders-errors").alarmNamePrefix("orders")));
    }

    @Test
    void alarmsAreDescribedPageByPage() {
        var first = cloudWatch.describeAlarms(r -> r.maxRecords(2));
        var second = cloudWatch.describeAlarms(r -> r.maxRecords(2).nextToken(first.nextToken()));

        assertEquals(List.of("orders-errors", "orders-latency"),
                first.metricAlarms().stream().map(MetricAlarm::alarmName).toList());
        assertEquals(List.of("payments-errors"), second.metricAlarms().stream().map(MetricAlarm::alarmName).toList());
        assertNull(second.nextToken());
    }

    @Test
    void theSdkPaginatorFollowsDescribeAlarmsPagesToTheEnd() {
        assertEquals(List.of("orders-errors", "orders-latency", "payments-errors"),
                cloudWatch.describeAlarmsPaginator(r -> r.maxRecords(2)).metricAlarms().stream()
                        .map(MetricAlarm::alarmName).toList());
        assertEquals(2, cloudWatch.describeAlarmsPaginator(r -> r.maxRecords(2)).stream().count());
    }

    @Test
    void historyIsNewestFirstAndFilteredByAlarmTypeAndDates() {
        clock.advance(Duration.ofMinutes(1));
        setState("orders-errors", StateValue.ALARM, "first");
        clock.advance(Duration.ofMinutes(1));
        setState("orders-errors", StateValue.OK, "second");
        clock.advance(Duration.ofMinutes(1));
        setState("payments-errors", StateValue.ALARM, "other alarm");

        List<AlarmHistoryItem> all = cloudWatch.describeAlarmHistory(r -> r.alarmName("orders-errors"))
                .alarmHistoryItems();
        List<AlarmHistoryItem> stateUpdates = cloudWatch.describeAlarmHistory(r -> r.alarmName("orders-errors")
                .historyItemType(HistoryItemType.STATE_UPDATE)).alarmHistoryItems();
        List<AlarmHistoryItem> inWindow = cloudWatch.describeAlarmHistory(r -> r.alarmName("orders-errors")
                .startDate(START.plus(Duration.ofMinutes(1))).endDate(START.plus(Duration.ofMinutes(1))))
                .alarmHistoryItems();
        List<AlarmHistoryItem> oldestFirst = cloudWatch.describeAlarmHistory(r -> r.alarmName("orders-errors")
                .scanBy(ScanBy.TIMESTAMP_ASCENDING)).alarmHistoryItems();

        assertEquals(List.of("Alarm updated from ALARM to OK", "Alarm updated from INSUFFICIENT_DATA to ALARM",
                "Alarm \"orders-errors\" created"), summaries(all));
        assertEquals(List.of("Alarm updated from ALARM to OK", "Alarm updated from INSUFFICIENT_DATA to ALARM"),
                summaries(stateUpdates));
        assertEquals(List.of("Alarm updated from INSUFFICIENT_DATA to ALARM"), summaries(inWindow));
        assertEquals(List.of("Alarm \"orders-errors\" created", "Alarm updated from INSUFFICIENT_DATA to ALARM",
                "Alarm updated from ALARM to OK"), summaries(oldestFirst));
        assertTrue(all.stream().allMatch(i -> i.alarmType() == AlarmType.METRIC_ALARM));
    }

    @Test
    void historyOfAnUnknownAlarmIsEmpty() {
        assertEquals(List.of(), cloudWatch.describeAlarmHistory(r -> r.alarmName("nope")).alarmHistoryItems());
    }

    @Test
    void historyPagesFollowNextTokensWithoutGapsOrRepeats() {
        for (int i = 0; i < 3; i++) {
            clock.advance(Duration.ofMinutes(1));
            setState("orders-errors", StateValue.ALARM, "fire " + i);
            setState("orders-errors", StateValue.OK, "clear " + i);
        }
        List<AlarmHistoryItem> everything = cloudWatch.describeAlarmHistory(r -> r.alarmName("orders-errors"))
                .alarmHistoryItems();

        List<AlarmHistoryItem> paged = new ArrayList<>();
        String token = null;
        do {
            String current = token;
            DescribeAlarmHistoryResponse page = cloudWatch.describeAlarmHistory(r -> r.alarmName("orders-errors")
                    .maxRecords(2).nextToken(current));
            assertTrue(page.alarmHistoryItems().size() <= 2);
            paged.addAll(page.alarmHistoryItems());
            token = page.nextToken();
        } while (token != null);

        assertEquals(7, everything.size());
        assertEquals(everything, paged);
        assertEquals(everything, cloudWatch.describeAlarmHistoryPaginator(r -> r.alarmName("orders-errors")
                .maxRecords(2)).alarmHistoryItems().stream().toList());
    }

    @Test
    void aNextTokenStillWorksAfterNewerHistoryArrives() {
        setState("orders-errors", StateValue.ALARM, "fire");
        setState("orders-errors", StateValue.OK, "clear");
        DescribeAlarmHistoryResponse first = cloudWatch.describeAlarmHistory(r -> r.alarmName("orders-errors")
                .maxRecords(1));

        clock.advance(Duration.ofMinutes(1));
        setState("orders-errors", StateValue.ALARM, "fire again");
        DescribeAlarmHistoryResponse second = cloudWatch.describeAlarmHistory(r -> r.alarmName("orders-errors")
                .maxRecords(1).nextToken(first.nextToken()));

        assertEquals(List.of("Alarm updated from ALARM to OK"), summaries(first.alarmHistoryItems()));
        assertEquals(List.of("Alarm updated from INSUFFICIENT_DATA to ALARM"), summaries(second.alarmHistoryItems()));
        assertNotNull(second.nextToken());
    }

    @Test
    void aNextTokenThatWasNeverIssuedIsRefused() {
        assertAwsError(InvalidNextTokenException.class, 400, "InvalidNextToken",
                () -> cloudWatch.describeAlarmHistory(r -> r.nextToken("bogus")));
    }

    private void setState(String alarm, StateValue state, String reason) {
        cloudWatch.setAlarmState(r -> r.alarmName(alarm).stateValue(state).stateReason(reason));
    }

    private List<String> names(Consumer<DescribeAlarmsRequest.Builder> request) {
        return cloudWatch.describeAlarms(request).metricAlarms().stream().map(MetricAlarm::alarmName).toList();
    }

    private static List<String> summaries(List<AlarmHistoryItem> items) {
        return items.stream().map(AlarmHistoryItem::historySummary).toList();
    }
}
