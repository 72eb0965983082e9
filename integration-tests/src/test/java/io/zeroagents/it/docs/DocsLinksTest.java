package io.zeroagents.it.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The documentation has no broken links: every relative link of README.md and docs/**&#47;*.md
 * reaches a file of the repository, and every {@code #anchor} a heading of its page. The README
 * stays a front door of at most 200 lines.
 */
class DocsLinksTest {
    private static final Path ROOT = Path.of(System.getProperty("zeroagents.test.project.root", ".."));
    private static final int README_MAX_LINES = 200;

    @Test
    void documentation_everyRelativeLinkAndAnchor_existsInTheRepository() {
        MarkdownLinkChecker checker = new MarkdownLinkChecker(ROOT);
        List<Path> pages = checker.documentationPages();
        List<String> problems = new ArrayList<>();
        for (Path page : pages) {
            problems.addAll(checker.check(page));
        }

        assertTrue(pages.size() > 1, "no pages found under " + ROOT.resolve("docs").toAbsolutePath());
        assertEquals(List.of(), problems, () -> problems.size() + " broken links:\n" + String.join("\n", problems));
    }

    @Test
    void readme_length_isAtMostTwoHundredLines() throws IOException {
        List<String> lines = Files.readAllLines(ROOT.resolve("README.md"), StandardCharsets.UTF_8);

        assertTrue(lines.size() <= README_MAX_LINES, () -> "README.md has " + lines.size() + " lines, more than "
                + README_MAX_LINES + ": move the details to a page under docs/ and link it");
    }

    @Test
    void check_missingFileMissingAnchorAndGoodLinks_reportsOnlyTheBrokenOnes(@TempDir Path root) throws IOException {
        Files.createDirectories(root.resolve("docs"));
        Files.writeString(root.resolve("docs/page.md"), """
                # A page
                ## Run on `several` machines: CURVE, federation!
                ## Limits
                ## Limits
                """);
        Files.writeString(root.resolve("README.md"), """
                [good](docs/page.md#run-on-several-machines-curve-federation) [second](docs/page.md#limits-1)
                [site](https://example.com/missing.md) `[in code](docs/nothing.md)`
                [missing file](docs/nothing.md) and [missing anchor](docs/page.md#no-such-heading)
                [self](#nowhere) and [a link that wraps
                across lines](docs/wrapped.md)
                ```
                [in a block](docs/nothing.md)
                ```
                """);

        List<String> problems = new MarkdownLinkChecker(root).check(root.resolve("README.md"));

        assertEquals(4, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("README.md:3: docs/nothing.md (no such file"), problems.get(0));
        assertTrue(problems.get(1).startsWith("README.md:3: docs/page.md#no-such-heading (no heading"), problems.get(1));
        assertTrue(problems.get(2).startsWith("README.md:4: #nowhere (no heading"), problems.get(2));
        assertTrue(problems.get(3).startsWith("README.md:4: docs/wrapped.md (no such file"), problems.get(3));
    }

    @Test
    void slug_headingWithCodeLinksAndPunctuation_followsGitHubsRules() {
        assertEquals("whos-allowed-to-do-what-per-port", MarkdownLinkChecker.slug("Who's allowed to do *what*, per port?"));
        assertEquals("the-zeroagentscurvedir-setting", MarkdownLinkChecker.slug("The `zeroagents.curve.dir` setting"));
        assertEquals("see-the-console-and-metrics", MarkdownLinkChecker.slug("See [the console](console.md) and metrics"));
        assertEquals("pushpull-tcp-16-b", MarkdownLinkChecker.slug("PUSH→PULL tcp, 16 B"));
        assertEquals("snake_case-stays", MarkdownLinkChecker.slug("snake_case stays"));
    }
}
