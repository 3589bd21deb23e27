package dev.rollout;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/** Debian's headless chromium through chromedriver, for the tests that look at pages as people do. */
public final class Chromium {
    private static final File CHROMIUM = new File("/usr/bin/chromium");
    private static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");
    /**
     * Debian's chromium is often newer than the DevTools versions this Selenium ships; these two warn about it at
     * every start although the tests use WebDriver only. Held here so the level set on them is not collected.
     */
    private static final List<Logger> DEVTOOLS_NOISE = List.of(
            Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder"),
            Logger.getLogger("org.openqa.selenium.chromium.ChromiumDriver"));

    private Chromium() {
    }

    /** Fails, never skips: bin/test installs both programs, so a missing browser is a broken machine. */
    public static void assertInstalled() {
        DEVTOOLS_NOISE.forEach(logger -> logger.setLevel(Level.SEVERE));
        for (File program : new File[] {CHROMIUM, CHROMEDRIVER}) {
            assertTrue(program.canExecute(), program + " is missing: run bin/test, which installs it"
                    + " (apt-get install -y chromium chromium-driver)");
        }
    }

    /**
     * Headless chromium on a fresh profile, keeping the page's console messages for {@code manage().logs()}; the
     * programs' paths are given so Selenium Manager fetches nothing.
     */
    public static WebDriver start(Path profile) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--user-data-dir=" + profile.toAbsolutePath());
        options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER)
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }
}
