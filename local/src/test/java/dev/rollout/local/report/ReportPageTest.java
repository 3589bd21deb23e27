package dev.rollout.local.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rollout.local.report.RolloutReport.AlarmBand;
import dev.rollout.local.report.RolloutReport.Kind;
import dev.rollout.local.report.RolloutReport.Mark;
import dev.rollout.local.report.RolloutReport.MetricSample;
import dev.rollout.local.report.RolloutReport.WeightChange;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The page drawn from a hand-made model: where things land, what is escaped, and that it loads nothing. */
class ReportPageTest {

    private static final Instant START = Instant.parse("2026-01-05T09:00:00Z");

    @Test
    void aMarkStandsWhereItsTimeFallsInTheWindowWhichLeavesRoomAfterTheLastEvent() {
        String page = ReportPage.render(report(List.of(new Mark(START.plusSeconds(300), Kind.PROMOTED, "Promote",
                "version 2 100%", ""))));

        Matcher window = Pattern.compile("data-start=\"([^\"]+)\" data-end=\"([^\"]+)\"").matcher(page);
        assertTrue(window.find(), page);
        Instant start = Instant.parse(window.group(1));
        Instant end = Instant.parse(window.group(2));
        assertEquals(START, start);
        assertTrue(end.isAfter(START.plusSeconds(600)), "room after the timeline's end: " + end);
        Matcher mark = Pattern.compile("<g class=\"mark promoted\"[^>]*data-x=\"([0-9.]+)\"").matcher(page);
        assertTrue(mark.find(), page);
        double expected = ReportPage.LEFT + ReportPage.PLOT_WIDTH * 300.0 / Duration.between(start, end).toSeconds();
        assertEquals(expected, Double.parseDouble(mark.group(1)), 0.05);
    }

    @Test
    void whatPeopleAndAlarmsWroteIsShownAsTextNeverAsMarkup() {
        String page = ReportPage.render(report(List.of(new Mark(START.plusSeconds(60), Kind.APPROVED,
                "RequestApproval", "approved by <b>eve</b>", "fine \"really\" <script>alert(1)</script>"))));

        assertFalse(page.contains("<script"), "a comment cannot add a script");
        assertFalse(page.contains("<b>eve"));
        assertTrue(page.contains("approved by &lt;b&gt;eve&lt;/b&gt;"));
    }

    @Test
    void thePageLoadsNothingFromAnywhere() {
        String page = ReportPage.render(report(List.of()));

        assertFalse(page.contains("<script") || page.contains("src=") || page.contains("<link")
                || page.contains("url("), "no script, image, stylesheet or font to fetch");
        assertEquals(List.of("http://www.w3.org/2000/svg"), Pattern.compile("https?://[^\"]+").matcher(page).results()
                .map(result -> result.group()).toList(), "the only address is the SVG namespace, which is a name");
    }

    @Test
    void everySeriesIsDrawnWithTheValuesItShows() {
        String page = ReportPage.render(report(List.of()));

        assertTrue(page.contains("data-series=\"error-percent\" data-version=\"2\" data-at=\"2026-01-05T09:04:00Z\" "
                + "data-value=\"25\""), page);
        assertTrue(page.contains("data-series=\"p99\" data-version=\"2\" data-at=\"2026-01-05T09:04:00Z\" "
                + "data-value=\"120\""), page);
        assertTrue(page.contains("class=\"weight-step\" data-version=\"2\" data-at=\"2026-01-05T09:00:00Z\" "
                + "data-value=\"10\""), page);
        assertTrue(page.contains("class=\"alarm-band\" data-alarm=\"orders-errors\""), page);
    }

    @ParameterizedTest(name = "{0} fits under {1}")
    @CsvSource({"0, 1", "0.4, 0.5", "7, 10", "25, 50", "120, 200", "600, 1000", "1000, 1000"})
    void theScaleOfAChartIsTheNextOneTwoOrFiveTimesAPowerOfTen(double max, double scale) {
        assertEquals(scale, ReportPage.niceMaximum(max), 1e-9);
    }

    @ParameterizedTest(name = "{0} s is {1}")
    @CsvSource({"0, +00:00:00", "59, +00:00:59", "3601, +01:00:01"})
    void timesAreShownToTheSecondSinceTheStart(long seconds, String shown) {
        assertEquals(shown, ReportPage.elapsed(Duration.ofSeconds(seconds)));
    }

    private static RolloutReport report(List<Mark> marks) {
        RolloutReport.Timeline timeline = new RolloutReport.Timeline("orders:live 1 -> 2", "run", "orders", "live",
                "1", "2", List.of("orders-errors"), START, START.plusSeconds(600), "SUCCEEDED", List.of("1", "2"),
                List.of(new WeightChange(START, Map.of("1", 90.0, "2", 10.0)),
                        new WeightChange(START.plusSeconds(600), Map.of("2", 100.0))), marks);
        RolloutReport.Metrics metrics = new RolloutReport.Metrics(Duration.ofMinutes(1),
                List.of(new MetricSample(START.plusSeconds(240), "1", 360, 0, OptionalDouble.of(80)),
                        new MetricSample(START.plusSeconds(240), "2", 240, 60, OptionalDouble.of(120))),
                List.of(new AlarmBand("orders-errors", START.plusSeconds(240), START.plusSeconds(300), "Threshold")),
                List.of(new RolloutReport.AlarmRule("orders-errors", "Errors Sum >= 5")));
        return new RolloutReport(timeline, metrics, "version 2 100%");
    }
}
