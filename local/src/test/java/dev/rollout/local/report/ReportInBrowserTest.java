package dev.rollout.local.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollout.Chromium;
import dev.rollout.ProjectRoot;
import dev.rollout.handlers.Json;
import dev.rollout.local.Simulate;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Rectangle;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * The report {@code bin/simulate} writes, opened in headless chromium from the file alone, and compared with the
 * history the same run wrote.
 */
class ReportInBrowserTest {

    @BeforeAll
    static void browserIsInstalled() {
        Chromium.assertInstalled();
    }

    @Test
    void theAlarmScenarioReportShowsTheRollbackWhenItHappenedAndVersion2FailingPastTheAlarm(
            @TempDir Path out, @TempDir Path profile) throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int exit = Simulate.run(new String[] {"--out", out.toString(),
                ProjectRoot.resolve("events/scenarios/alarm-mid-rollout.json").toString()}, ProjectRoot.path(),
                new PrintStream(printed, true, StandardCharsets.UTF_8), System.err);
        assertEquals(3, exit, printed::toString);
        String lastLine = printed.toString(StandardCharsets.UTF_8).strip().lines().reduce((a, b) -> b).orElseThrow();
        assertEquals("Report:      " + out.resolve("report.html"), lastLine, "the path is printed at the end");
        String rolledBackAt = rollbackTime(Json.MAPPER.readTree(out.resolve("history.json").toFile()));
        assertEquals("2026-01-05T09:04:00Z", rolledBackAt);

        WebDriver browser = Chromium.start(profile);
        try {
            browser.get(out.resolve("report.html").toUri().toString());
            assertEquals("Rollout orders:live 1 -> 2", browser.getTitle());
            assertEquals("FAILED Rollout.AlarmTriggered", browser.findElement(By.id("outcome")).getText());

            WebElement rollback = browser.findElement(By.cssSelector("g.mark[data-kind=rolled-back]"));
            assertEquals(rolledBackAt, rollback.getAttribute("data-at"));
            WebElement fourMinutes = browser.findElement(By.cssSelector("text.time-tick[data-at='" + rolledBackAt + "']"));
            assertEquals("+00:04:00", fourMinutes.getText());
            assertEquals(centre(fourMinutes.getRect()), centre(rollback.findElement(By.tagName("line")).getRect()), 1.5,
                    "the rollback line stands over the +00:04:00 tick");

            WebElement errors = browser.findElement(By.cssSelector(
                    "circle.sample[data-series=error-percent][data-version='2'][data-at='" + rolledBackAt + "']"));
            assertEquals("25", errors.getAttribute("data-value"));
            String alarm = browser.findElement(By.id("alarms")).getText();
            assertTrue(alarm.contains("orders-v2-errors: Errors Sum >= 5 per 60 s"), alarm);
            List<String> row = browser.findElements(By.cssSelector("#metrics tbody tr")).stream()
                    .map(WebElement::getText).filter(text -> text.startsWith(rolledBackAt + " 2 ")).toList();
            assertEquals(List.of(rolledBackAt + " 2 240 60 25.0 100"), row,
                    "version 2: 60 errors, past the alarm's 5, a quarter of its 240 requests");

            WebElement band = browser.findElement(By.cssSelector("rect.alarm-band[data-alarm=orders-v2-errors]"));
            assertEquals(rolledBackAt, band.getAttribute("data-from"));
            assertTrue(band.getRect().getX() <= centre(rollback.findElement(By.tagName("line")).getRect()) + 1.5);

            String decisions = browser.findElement(By.id("decisions")).getText();
            assertTrue(decisions.contains("+00:04:00 " + rolledBackAt + " rolled back Rollback version 1 100%"),
                    decisions);

            List<LogEntry> console = browser.manage().logs().get(LogType.BROWSER).getAll();
            assertEquals(List.of(), console.stream().filter(entry -> entry.getLevel().intValue() >= Level.WARNING
                    .intValue()).map(LogEntry::toString).toList(), "console errors or warnings");
        } finally {
            browser.quit();
        }
        String page = Files.readString(out.resolve("report.html"));
        assertTrue(!page.contains("<script") && !page.contains("src=") && !page.contains("<link"),
                "the page loads nothing");
    }

    private static double centre(Rectangle rect) {
        return rect.getX() + rect.getWidth() / 2.0;
    }

    private static String rollbackTime(JsonNode history) {
        for (JsonNode event : history.path("events")) {
            if (event.path("type").asText().equals("TaskStateExited")
                    && event.path("stateExitedEventDetails").path("name").asText().equals("Rollback")) {
                return event.path("timestamp").asText();
            }
        }
        throw new AssertionError("no Rollback in " + history);
    }
}
