package dev.rollout.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import dev.rollout.ProjectRoot;
import dev.rollout.local.ApprovalServer;
import dev.rollout.local.LocalContext;
import dev.rollout.local.Outcome;
import dev.rollout.local.Scenario;
import dev.rollout.local.Simulation;
import dev.rollout.local.time.VirtualClock;
import dev.rollout.local.aws.TaskAnswer;

/**
 * A person approves from the e-mail in a real browser: Debian's chromium, driven through chromedriver, against
 * the approval page served locally by the same handler API Gateway invokes.
 */
class ApprovalPageInBrowserTest {
    private static final Path ROOT = ProjectRoot.path();
    private static final File CHROMIUM = new File("/usr/bin/chromium");
    private static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");
    /**
     * Debian's chromium is often newer than the DevTools versions this Selenium ships; these two warn about it at
     * every start although the test uses WebDriver only. Held here so the level set on them is not collected.
     */
    private static final List<Logger> DEVTOOLS_NOISE = List.of(
            Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder"),
            Logger.getLogger("org.openqa.selenium.chromium.ChromiumDriver"));

    @BeforeAll
    static void browserIsInstalled() {
        DEVTOOLS_NOISE.forEach(logger -> logger.setLevel(Level.SEVERE));
        // Not skipped: bin/test installs both, so a missing browser is a broken machine, not an optional test.
        for (File program : new File[] {CHROMIUM, CHROMEDRIVER}) {
            assertTrue(program.canExecute(), program + " is missing: run bin/test, which installs it"
                    + " (apt-get install -y chromium chromium-driver)");
        }
    }

    @Test
    void approvingFromTheEmailLinkRecordsWhoAndWhyAndTheLinkThenSaysSo(@TempDir Path profile) throws Exception {
        ApprovalWorld approvals = new ApprovalWorld();
        try (ApprovalServer server = ApprovalServer.start(approvals.page, 0, approvals.log)) {
            String token = approvals.awaitApproval(server.baseUrl());
            String approve = approvals.link("Approve");
            WebDriver browser = chromium(profile);
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

    @Test
    void approvingInTheBrowserLetsTheWaitingRolloutPromote(@TempDir Path profile) throws Exception {
        JsonNode scenario = Json.MAPPER.readTree(ROOT.resolve("events/scenarios/approval-approved.json").toFile());
        ((ObjectNode) scenario).remove("approvals"); // a person answers, in the browser
        // Ten simulated minutes per real second: the canary bakes in half a second, the 2h approval would
        // time out after twelve real seconds, far longer than a browser needs.
        VirtualClock clock = VirtualClock.scaled(Simulation.START, 600);
        AtomicReference<ApprovalPage> page = new AtomicReference<>();
        try (ApprovalServer server = ApprovalServer.start((request, context) -> page.get().handleRequest(request, context),
                0, LocalContext.logger(line -> { }))) {
            Simulation simulation = new Simulation(ROOT, Scenario.read(scenario), clock, null, server.baseUrl(),
                    line -> { });
            page.set(simulation.approvalPage());
            simulation.expectPeopleToAnswer(true);
            CompletableFuture<Simulation.Result> rollout = CompletableFuture.supplyAsync(() -> {
                try {
                    return simulation.run();
                } catch (java.io.IOException failed) {
                    throw new java.io.UncheckedIOException(failed);
                }
            });
            String approvalTopic = simulation.aws().approvalTopicArn();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (simulation.aws().sns().outbox(approvalTopic).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            String email = simulation.aws().sns().outbox(approvalTopic).get(0).message();
            Matcher link = java.util.regex.Pattern.compile("http://\\S+\\?action=approve").matcher(email);
            assertTrue(link.find(), email);

            WebDriver browser = chromium(profile);
            try {
                browser.get(link.group());
                String shown = browser.findElement(By.tagName("main")).getText();
                assertTrue(shown.contains("orders"), shown);
                browser.findElement(By.id("name")).sendKeys("Ana Lima");
                browser.findElement(By.cssSelector("button[value=approve]")).click();
                new WebDriverWait(browser, Duration.ofSeconds(20)).until(ExpectedConditions.titleContains("Approved"));
            } finally {
                browser.quit();
            }
            Simulation.Result result = rollout.get(30, TimeUnit.SECONDS);
            assertEquals(Outcome.PROMOTED, result.outcome(), result.decisions()::toString);
            assertEquals("version 2 100%", result.finalAlias());
            assertTrue(result.execution().history().toString().contains("Ana Lima"));
        }
    }

    /** Headless chromium on a fresh profile; the programs' paths are given so Selenium Manager fetches nothing. */
    private static WebDriver chromium(Path profile) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--user-data-dir=" + profile.toAbsolutePath());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER)
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }
}
