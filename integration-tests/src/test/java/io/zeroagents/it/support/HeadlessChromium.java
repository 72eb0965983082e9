package io.zeroagents.it.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium, headless, driven by Debian's chromedriver through Selenium. Both are named by
 * path, so Selenium Manager never looks for (or downloads) a browser or a driver of its own.
 *
 * <p>Without them ({@code apt-get install chromium chromium-driver}; {@code .ci/run} does it) the
 * browser tests skip with the reason, except under {@code CI=true}, where a skip would hide them,
 * so they fail.
 */
public final class HeadlessChromium {
    private static final List<Path> BROWSERS = List.of(Path.of("/usr/bin/chromium"), Path.of("/usr/lib/chromium/chromium"));
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private HeadlessChromium() {
    }

    /** Starts a headless Chromium, or skips the calling test (fails it under CI) when there is none. */
    public static ChromeDriver start() {
        Path browser = BROWSERS.stream().filter(Files::isExecutable).findFirst().orElse(null);
        if (browser == null || !Files.isExecutable(DRIVER)) {
            String reason = "Chromium and chromedriver are not installed (" + BROWSERS.getFirst() + ", " + DRIVER
                    + "); apt-get install -y chromium chromium-driver";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(reason + "; under CI=true the browser tests must run");
            }
            Assumptions.abort(reason);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(browser.toFile());
        // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1360,1100", "--hide-scrollbars");
        // The driver by path (the browser is in the options): Selenium Manager has nothing to find.
        System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, DRIVER.toString());
        return new ChromeDriver(options);
    }

    /** Saves what the browser shows now as a PNG, replacing {@code file}. */
    public static Path screenshot(ChromeDriver browser, Path file) {
        File shot = browser.getScreenshotAs(OutputType.FILE);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return Files.copy(shot.toPath(), file, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot save the screenshot to " + file, e);
        }
    }
}
