package io.zeroagents.it.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.AgentAddress;
import io.zeroagents.AgentOptions;
import io.zeroagents.Agents;
import io.zeroagents.Pattern;
import io.zeroagents.Proxy;
import io.zeroagents.SocketHandler;
import io.zeroagents.it.support.HeadlessChromium;
import io.zeroagents.it.support.NameServerJar;
import io.zeroagents.testsupport.ChildProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The daemon's console in a real headless Chromium: the name-server jar runs with {@code --http 0},
 * agents of this JVM register with it and talk, and the page lists them, draws their links, and
 * drops an agent that dies. It saves what it shows as {@code target/console-screenshot.png} (and
 * {@code target/console-after-death.png}).
 */
@Timeout(180)
class ConsoleBrowserTest {
    private static final Duration PAGE_WAIT = Duration.ofSeconds(30);
    private static final Path SCREENSHOTS = Path.of(System.getProperty("zeroagents.test.screenshots", "target"));

    private static String after(ChildProcess process, String prefix) {
        String line = process.awaitLine(prefix);
        return line.substring(line.indexOf(prefix) + prefix.length()).split(" ")[0];
    }

    /** What the browser shows, for a wait's message: where it is, how far it loaded, and the graph's size. */
    private static String pageState(ChromeDriver browser) {
        return String.valueOf(browser.executeScript("const state = window.zeroagentsConsole;"
                + " return location.href + ' ' + document.readyState + ' \\'' + document.title + '\\' '"
                + " + (state === undefined ? 'without the console script'"
                + " : state.cy === null ? 'without a graph'"
                + " : state.cy.nodes().length + ' nodes, ' + state.cy.edges().length + ' edges');"));
    }

    private static boolean hasEdge(ChromeDriver browser, String id) {
        return Boolean.TRUE.equals(browser.executeScript("const cy = window.zeroagentsConsole.cy;"
                + " return cy !== null && cy.getElementById(arguments[0]).nonempty();", id));
    }

    /** One attribute of each row of a table, read in one script: the page updates rows as it refreshes. */
    private static List<String> rows(ChromeDriver browser, String table, String attribute) {
        Object values = browser.executeScript("return Array.from(document.querySelectorAll(arguments[0]))"
                + ".map(row => row.getAttribute(arguments[1]));", "#" + table + " tbody tr", attribute);
        return ((List<?>) values).stream().map(String::valueOf).toList();
    }

    private static String text(ChromeDriver browser, String selector) {
        return String.valueOf(browser.executeScript("const e = document.querySelector(arguments[0]);"
                + " return e === null ? null : e.textContent;", selector));
    }

    @Test
    void page_listsTheAgents_drawsTheirLinks_andDropsAnAgentThatDies() throws Exception {
        try (ChildProcess daemon = ChildProcess.jar("nameserver", NameServerJar.path(),
                "--bind", "tcp://127.0.0.1:*", "--http", "0")) {
            String nameServer = after(daemon, "Name server listening on ");
            String console = after(daemon, "Console on ");
            AgentOptions options = AgentOptions.builder().nameServer(nameServer).build();
            List<Proxy> agents = new ArrayList<>();
            try {
                AtomicInteger collected = new AtomicInteger();
                Proxy dispatcher = Agents.runAgent("Dispatcher", options);
                Proxy collector = Agents.runAgent("Collector", options);
                Proxy worker1 = Agents.runAgent("Worker1", options);
                Proxy worker2 = Agents.runAgent("Worker2", options);
                agents.addAll(List.of(dispatcher, collector, worker1, worker2));
                AgentAddress jobs = dispatcher.bind(Pattern.PUSH, "jobs");
                AgentAddress results = collector.bind(Pattern.PULL, "results",
                        SocketHandler.onMessage(String.class, (agent, result) -> collected.incrementAndGet()));
                for (Proxy worker : List.of(worker1, worker2)) {
                    worker.connect(results, "results");
                    worker.connect(jobs, "jobs", String.class, (agent, job) -> agent.send("results", job + " done"));
                }
                dispatcher.each(Duration.ofMillis(50), agent -> agent.send("jobs", "job"));

                ChromeDriver browser = HeadlessChromium.start();
                try {
                    browser.get(console);
                    WebDriverWait wait = new WebDriverWait(browser, PAGE_WAIT);

                    wait.withMessage("the four agents listed").until(b -> rows(browser, "agents", "data-agent")
                            .equals(List.of("Collector", "Dispatcher", "Worker1", "Worker2")));
                    List<String> links = List.of("Worker1/jobs->Dispatcher/jobs", "Worker1/results->Collector/results",
                            "Worker2/jobs->Dispatcher/jobs", "Worker2/results->Collector/results");
                    wait.withMessage("the links in the table and the graph").until(b ->
                            rows(browser, "links", "data-link").equals(links)
                                    && links.stream().allMatch(id -> hasEdge(browser, id)));
                    WebElement jobLink = browser.findElement(By.cssSelector("tr[data-link='Worker1/jobs->Dispatcher/jobs']"));
                    // Rows are updated in place, never replaced: an element found once stays valid.
                    assertEquals("Dispatcher", jobLink.getDomAttribute("data-from"), "messages flow from the PUSH");
                    assertEquals("Worker1", jobLink.getDomAttribute("data-to"));
                    // Rates need two heartbeats of each host; the picture is better with them.
                    wait.withMessage("a message rate on the dispatcher's row").until(b -> !text(browser,
                            "tr[data-agent='Dispatcher'] td[data-column='out']").equals("0"));
                    assertTrue(collected.get() > 0);
                    assertTrue(browser.findElement(By.id("mode")).getText().contains("read-only"));
                    HeadlessChromium.screenshot(browser, SCREENSHOTS.resolve("console-screenshot.png"));

                    worker2.kill();

                    wait.withMessage("Worker2 and its links gone").until(b ->
                            rows(browser, "agents", "data-agent").equals(List.of("Collector", "Dispatcher", "Worker1"))
                                    && rows(browser, "links", "data-link").equals(links.subList(0, 2))
                                    && !hasEdge(browser, "Worker2/jobs->Dispatcher/jobs"));
                    assertTrue(hasEdge(browser, "Worker1/jobs->Dispatcher/jobs"));
                    HeadlessChromium.screenshot(browser, SCREENSHOTS.resolve("console-after-death.png"));
                } finally {
                    browser.quit();
                }
            } finally {
                for (Proxy agent : agents) {
                    try {
                        agent.shutdown();
                    } catch (RuntimeException e) {
                        // Already dead (killed above) or its name server gone: nothing left to stop.
                    }
                }
            }
        }
    }

    /**
     * Whether every node and edge, labels included, lies inside the graph's drawing area, and that
     * area inside the browser's window: nothing is clipped and nothing needs scrolling.
     */
    private static boolean everythingInView(ChromeDriver browser) {
        return Boolean.TRUE.equals(browser.executeScript("const cy = window.zeroagentsConsole.cy;"
                + " const panel = document.getElementById('graph').getBoundingClientRect();"
                + " return panel.top >= 0 && panel.bottom <= window.innerHeight && panel.right <= window.innerWidth"
                + " && cy.elements().every(e => { const b = e.renderedBoundingBox({ includeLabels: true });"
                + " return b.x1 >= 0 && b.y1 >= 0 && b.x2 <= cy.width() && b.y2 <= cy.height(); });"));
    }

    @Test
    void graph_fiftyAgents_everyNodeAndLabelInViewAtAReadableScale() throws Exception {
        try (ChildProcess daemon = ChildProcess.jar("nameserver", NameServerJar.path(),
                "--bind", "tcp://127.0.0.1:*", "--http", "0")) {
            String nameServer = after(daemon, "Name server listening on ");
            String console = after(daemon, "Console on ");
            AgentOptions options = AgentOptions.builder().nameServer(nameServer).build();
            List<Proxy> agents = new ArrayList<>();
            try {
                // Five hubs each deal work to nine workers: 50 agents, 45 links.
                for (int hub = 1; hub <= 5; hub++) {
                    Proxy dealer = Agents.runAgent("Hub" + hub, options);
                    agents.add(dealer);
                    AgentAddress work = dealer.bind(Pattern.PUSH, "work");
                    for (int worker = 1; worker <= 9; worker++) {
                        Proxy taker = Agents.runAgent("Hub" + hub + "Worker" + worker, options);
                        agents.add(taker);
                        taker.connect(work, "work", String.class, (agent, job) -> { });
                    }
                }
                ChromeDriver browser = HeadlessChromium.start();
                try {
                    browser.get(console);
                    WebDriverWait wait = new WebDriverWait(browser, PAGE_WAIT);
                    // The page's script may still be starting when the first poll comes: no state yet is "not yet".
                    wait.withMessage(() -> "the 50 agents and 45 links in the graph; the page: " + pageState(browser))
                            .until(b -> Boolean.TRUE.equals(browser.executeScript(
                                    "const state = window.zeroagentsConsole; const cy = state === undefined ? null"
                                    + " : state.cy; return cy !== null"
                                    + " && cy.nodes().length === 50 && cy.edges().length === 45;")));
                    HeadlessChromium.screenshot(browser, SCREENSHOTS.resolve("console-fifty-agents.png"));

                    assertTrue(everythingInView(browser), "a node or label is outside the graph's area");
                    double zoom = ((Number) browser.executeScript("return window.zeroagentsConsole.cy.zoom();"))
                            .doubleValue();
                    // 14 px labels at 0.6 are drawn at 8.4 px, the least that still reads.
                    assertTrue(zoom >= 0.6, "labels drawn too small to read: zoom " + zoom);
                } finally {
                    browser.quit();
                }
            } finally {
                for (Proxy agent : agents) {
                    agent.shutdown();
                }
            }
        }
    }
}
