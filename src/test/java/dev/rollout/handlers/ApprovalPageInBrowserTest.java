package dev.rollout.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import dev.rollout.Chromium;
import dev.rollout.ProjectRoot;
import dev.rollout.local.ApprovalServer;
import dev.rollout.local.LocalContext;
import dev.rollout.local.Outcome;
import dev.rollout.local.Scenario;
import dev.rollout.local.Simulation;
import dev.rollout.local.time.VirtualClock;
import dev.rollout.local.aws.PublishedMessage;
import dev.rollout.local.aws.TaskAnswer;

/**
 * A person approves from the e-mail in a real browser: Debian's chromium, driven through chromedriver, against
 * the approval page served locally by the same handler API Gateway invokes.
 */
class ApprovalPageInBrowserTest {
    private static final Path ROOT = ProjectRoot.path();

    @BeforeAll
    static void browserIsInstalled() {
        Chromium.assertInstalled();
    }

    @Test
    void approvingFromTheEmailLinkRecordsWhoAndWhyAndTheLinkThenSaysSo(@TempDir Path profile) throws Exception {
        ApprovalWorld approvals = new ApprovalWorld();
        try (ApprovalServer server = ApprovalServer.start(approvals.page, 0, approvals.log)) {
            String token = approvals.awaitApproval(server.baseUrl());
            String approve = approvals.link("Approve");
            WebDriver browser = Chromium.start(profile);
            try {
                browser.get(approve);
                String shown = browser.findElement(By.tagName("main")).getText();
                assertTrue(shown.contains("Function\norders"), shown);
                assertTrue(shown.contains("version 1 \u2192 version 2"), shown);
                assertTrue(shown.contains("10% on version 2"), shown);

                browser.findElement(By.id("name")).sendKeys("Ana Lima");
                browser.findElement(By.id("comment")).sendKeys("error rate flat, latency fine");
                browser.findElement(By.cssSelector("button[value=approve]")).click();
                new WebDriverWait(browser, Duration.ofSeconds(20)).until(ExpectedConditions.titleContains("Approved"));

                TaskAnswer.Success success = assertInstanceOf(TaskAnswer.Success.class,
                        approvals.sfn.answer(token).orElseThrow(() -> new AssertionError(
                                "pressing Approve did not answer the task; the page says: "
                                        + browser.findElement(By.tagName("main")).getText())));
                assertEquals("Ana Lima", success.output().path("by").asText());
                assertEquals("error rate flat, latency fine", success.output().path("comment").asText());

                browser.get(approve);
                String again = browser.findElement(By.tagName("main")).getText();
                assertTrue(again.contains("This rollout was already approved by Ana Lima at "), again);
                assertEquals(1, approvals.sfn.answers().size(), "opening the link again decides nothing");
            } finally {
                browser.quit();
            }
        }
    }

    /**
     * The whole rollout on the local runtime, with the person in a real browser. The test drives the virtual
     * clock instead of scaling it to real time: the rollout runs at full speed up to the approval request, then
     * virtual time stands still until the browser has answered, however long chromium takes to start.
     */
    @Test
    void approvingInTheBrowserLetsTheWaitingRolloutPromote(@TempDir Path profile) throws Exception {
        JsonNode scenario = Json.MAPPER.readTree(ROOT.resolve("events/scenarios/approval-approved.json").toFile());
        ((ObjectNode) scenario).remove("approvals"); // a person answers, in the browser
        VirtualClock clock = new VirtualClock(Simulation.START);
        AtomicReference<ApprovalPage> page = new AtomicReference<>();
        try (ApprovalServer server = ApprovalServer.start((request, context) -> page.get().handleRequest(request, context),
                0, LocalContext.logger(line -> { }))) {
            Simulation simulation = new Simulation(ROOT, Scenario.read(scenario), clock, null, server.baseUrl(),
                    line -> { });
            page.set(simulation.approvalPage());
            simulation.expectPeopleToAnswer(true);
            CompletableFuture<String> emailed = new CompletableFuture<>();
            CompletableFuture<Void> answered = new CompletableFuture<>();
            holdTimeOnceAnApprovalIsRequested(simulation, emailed, answered);
            CompletableFuture<Simulation.Result> rollout = CompletableFuture.supplyAsync(() -> {
                try {
                    return simulation.run();
                } catch (IOException failed) {
                    throw new UncheckedIOException(failed);
                }
            });
            rollout.whenComplete((ended, failed) -> emailed.completeExceptionally(new AssertionError(
                    "the rollout ended without asking for approval: " + (ended == null ? failed : ended.decisions()))));
            try {
                Matcher link = Pattern.compile("http://\\S+\\?action=approve").matcher(emailed.get());
                assertTrue(link.find(), emailed.get());
                WebDriver browser = Chromium.start(profile);
                try {
                    browser.get(link.group());
                    String shown = browser.findElement(By.tagName("main")).getText();
                    assertTrue(shown.contains("orders"), shown);
                    browser.findElement(By.id("name")).sendKeys("Ana Lima");
                    browser.findElement(By.cssSelector("button[value=approve]")).click();
                    new WebDriverWait(browser, Duration.ofSeconds(20))
                            .until(ExpectedConditions.titleContains("Approved"));
                } finally {
                    browser.quit();
                }
            } finally {
                answered.complete(null);
            }
            Simulation.Result result = rollout.get();
            assertEquals(Outcome.PROMOTED, result.outcome(), result.decisions()::toString);
            assertEquals("version 2 100%", result.finalAlias());
            assertTrue(result.execution().history().toString().contains("Ana Lima"));
            assertTrue(result.simulated().compareTo(Duration.ofHours(2)) < 0,
                    "approved before the two-hour approval timeout: " + result.simulated());
        }
    }

    /**
     * Checks the approval outbox every simulated minute, on the thread that drives the clock. Once the request
     * is there it hands the e-mail to the test and blocks until the person has answered: no later event runs
     * meanwhile, so the approval's timeout cannot come first. The answer itself needs no clock: the page records
     * it and schedules the task's success at the current virtual time.
     */
    private static void holdTimeOnceAnApprovalIsRequested(Simulation simulation, CompletableFuture<String> emailed,
                                                          CompletableFuture<Void> answered) {
        VirtualClock clock = simulation.aws().clock();
        String approvalTopic = simulation.aws().approvalTopicArn();
        clock.schedule(clock.instant(), new Runnable() {
            @Override
            public void run() {
                List<PublishedMessage> requests = simulation.aws().sns().outbox(approvalTopic);
                if (requests.isEmpty()) {
                    clock.after(Duration.ofMinutes(1), this);
                    return;
                }
                emailed.complete(requests.get(0).message());
                answered.join();
            }
        });
    }
}
