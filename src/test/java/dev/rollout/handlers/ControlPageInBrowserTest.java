package dev.rollout.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
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
import dev.rollout.local.LocalAws;
import dev.rollout.local.LocalContext;
import dev.rollout.local.LocalRuntime;
import dev.rollout.local.asl.ExecutionHandle;
import dev.rollout.local.asl.ExecutionStatus;
import dev.rollout.local.time.VirtualClock;

/**
 * A person aborts a rollout in the middle of its 30-minute bake from the started notice's link, in a real browser
 * (Debian's chromium through chromedriver), on the control page the local server serves with the handler API Gateway
 * invokes. Virtual time stands still while the browser works: nothing runs the clock until the page has answered.
 */
class ControlPageInBrowserTest {
    private static final Pattern ABORT_LINK = Pattern.compile("(?m)^Abort, roll back now: +(http://\\S+)$");

    @BeforeAll
    static void browserIsInstalled() {
        Chromium.assertInstalled();
    }

    @Test
    void abortingFromTheStartedNoticeRollsTheBakingRolloutBackAndTheLinkThenSaysSo(@TempDir Path profile)
            throws Exception {
        // The page exists only once the runtime does, which needs the server's address for its links.
        AtomicReference<ControlPage> page = new AtomicReference<>();
        try (ApprovalServer server = ApprovalServer.start((request, context) -> {
            throw new IllegalStateException("no approval in this test");
        }, Optional.of((request, context) -> page.get().handleRequest(request, context)), 0,
                LocalContext.logger(line -> { }))) {
            LocalAws aws = LocalAws.create(new VirtualClock(Instant.parse("2026-11-22T10:00:00Z")), null,
                    server.baseUrl());
            aws.lambda().addFunction("orders");
            aws.lambda().publishNewVersion("orders");
            aws.lambda().publishNewVersion("orders");
            aws.lambda().createAlias(request -> request.functionName("orders").name("live").functionVersion("1"));
            LocalRuntime runtime = LocalRuntime.load(ProjectRoot.path(), aws);
            page.set(runtime.controlPage());
            ObjectNode input = Json.object();
            input.put("functionName", "orders").put("targetVersion", "2").put("strategy", "Canary10Percent30Minutes");
            ExecutionHandle execution = runtime.start("orders-2", input);
            boolean[] inTheBake = {false};
            aws.clock().after(Duration.ofMinutes(7), () -> inTheBake[0] = true);
            aws.clock().runUntil(() -> inTheBake[0]);
            Matcher link = ABORT_LINK.matcher(aws.sns().outbox(aws.topicArn()).get(0).message());
            assertTrue(link.find(), aws.sns().outbox(aws.topicArn()).get(0).message());

            WebDriver browser = Chromium.start(profile);
            try {
                browser.get(link.group(1));
                String shown = browser.findElement(By.tagName("main")).getText();
                assertTrue(shown.contains("You followed the Abort link. Nothing is decided"), shown);
                assertTrue(shown.contains("version 1 \u2192 version 2"), shown);
                assertEquals(ExecutionStatus.RUNNING, execution.status(), "opening the link decides nothing");

                browser.findElement(By.id("name")).sendKeys("Ana Lima");
                browser.findElement(By.id("reason")).sendKeys("checkout errors reported by support");
                browser.findElement(By.cssSelector("button[value=abort]")).click();
                new WebDriverWait(browser, Duration.ofSeconds(20)).until(ExpectedConditions.titleContains("Aborted"));

                browser.get(link.group(1));
                String again = browser.findElement(By.tagName("main")).getText();
                assertTrue(again.contains("This rollout was already aborted by Ana Lima at 2026-11-22T10:07:00Z"),
                        again);
            } finally {
                browser.quit();
            }
            runtime.runToEnd(execution);
            assertEquals("Rollout.Aborted", execution.error().orElse(""));
            assertEquals("aborted by Ana Lima at 2026-11-22T10:07:00Z: checkout errors reported by support",
                    execution.cause().orElse(""));
            assertEquals(Instant.parse("2026-11-22T10:07:00Z"), execution.stopDate().orElseThrow());
            assertEquals("1", aws.lambda().getAlias(request -> request.functionName("orders").name("live"))
                    .functionVersion());
        }
    }
}
