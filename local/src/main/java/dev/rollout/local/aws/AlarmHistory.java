package dev.rollout.local.aws;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.cloudwatch.model.AlarmHistoryItem;
import software.amazon.awssdk.services.cloudwatch.model.AlarmType;
import software.amazon.awssdk.services.cloudwatch.model.DescribeAlarmHistoryRequest;
import software.amazon.awssdk.services.cloudwatch.model.DescribeAlarmHistoryResponse;
import software.amazon.awssdk.services.cloudwatch.model.HistoryItemType;
import software.amazon.awssdk.services.cloudwatch.model.ScanBy;

/** Every configuration and state change of every metric alarm, kept even after the alarm changes again. */
final class AlarmHistory {

    private static final String TOKEN_KIND = "history";
    private static final int DEFAULT_MAX_RECORDS = 50;
    private static final int MAX_RECORDS_LIMIT = 100;

    private record Entry(long sequence, AlarmHistoryItem item) {
    }

    /** Oldest first; the sequence breaks ties between items with the same timestamp. */
    private static final Comparator<Entry> OLDEST_FIRST = Comparator
            .comparing((Entry e) -> e.item().timestamp())
            .thenComparingLong(Entry::sequence);

    private final List<Entry> entries = new ArrayList<>();
    private long nextSequence;

    void record(String alarmName, HistoryItemType type, String summary, String data, Instant timestamp) {
        entries.add(new Entry(nextSequence++, AlarmHistoryItem.builder()
                .alarmName(alarmName)
                .alarmType(AlarmType.METRIC_ALARM)
                .historyItemType(type)
                .historySummary(summary)
                .historyData(data)
                .timestamp(timestamp)
                .build()));
    }

    DescribeAlarmHistoryResponse describe(DescribeAlarmHistoryRequest request) {
        int maxRecords = request.maxRecords() != null ? request.maxRecords() : DEFAULT_MAX_RECORDS;
        if (maxRecords < 1 || maxRecords > MAX_RECORDS_LIMIT) {
            throw CloudWatchErrors.invalidValue("MaxRecords", maxRecords,
                    "It must be between 1 and " + MAX_RECORDS_LIMIT + ".");
        }
        List<Entry> matching = new ArrayList<>(entries.stream().filter(e -> matches(e.item(), request)).toList());
        matching.sort(request.scanBy() == ScanBy.TIMESTAMP_ASCENDING ? OLDEST_FIRST : OLDEST_FIRST.reversed());

        int from = 0;
        if (request.nextToken() != null) {
            long after = PageToken.decode(TOKEN_KIND, request.nextToken())
                    .flatMap(AlarmHistory::parseSequence)
                    .orElseThrow(CloudWatchErrors::invalidNextToken);
            from = indexOf(matching, after) + 1;
        }
        int to = Math.min(matching.size(), from + maxRecords);
        List<Entry> page = matching.subList(from, to);
        return DescribeAlarmHistoryResponse.builder()
                .alarmHistoryItems(page.stream().map(Entry::item).toList())
                .nextToken(to < matching.size()
                        ? PageToken.encode(TOKEN_KIND, String.valueOf(page.get(page.size() - 1).sequence()))
                        : null)
                .build();
    }

    private static boolean matches(AlarmHistoryItem item, DescribeAlarmHistoryRequest request) {
        // Without AlarmTypes only metric alarms' history is returned, and metric alarms are all this service has.
        boolean metricAlarmsWanted = !request.hasAlarmTypes() || request.alarmTypes().contains(AlarmType.METRIC_ALARM);
        return metricAlarmsWanted
                && (request.alarmName() == null || request.alarmName().equals(item.alarmName()))
                && (request.historyItemType() == null || request.historyItemType() == item.historyItemType())
                && (request.startDate() == null || !item.timestamp().isBefore(request.startDate()))
                && (request.endDate() == null || !item.timestamp().isAfter(request.endDate()));
    }

    private static int indexOf(List<Entry> entries, long sequence) {
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).sequence() == sequence) {
                return i;
            }
        }
        throw CloudWatchErrors.invalidNextToken();
    }

    private static Optional<Long> parseSequence(String text) {
        try {
            return Optional.of(Long.parseLong(text));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
