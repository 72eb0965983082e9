package io.zeroagents.it.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds the broken relative links of Markdown files: a target file or folder that does not exist,
 * or an {@code #anchor} that is no heading of its target page, by GitHub's rules for heading ids.
 *
 * <p>Links to other sites ({@code https:}, {@code mailto:} ...) are not followed: the build must
 * not depend on the network. Code blocks and code spans are skipped, as GitHub renders no links
 * there.
 */
final class MarkdownLinkChecker {
    /** An inline link or image: {@code [text](target)} or {@code ![alt](target "title")}. */
    private static final Pattern LINK = Pattern.compile("!?\\[(?:[^\\]\\[]|\\[[^\\]]*])*]\\(\\s*<?([^)\\s>]*)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
    private static final Pattern HEADING = Pattern.compile("^ {0,3}(#{1,6})\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern CODE_SPAN = Pattern.compile("(`+)(.+?)\\1");
    private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");
    private static final Pattern HTML_ANCHOR = Pattern.compile("<a\\s+(?:name|id)=\"([^\"]+)\"");

    private final Path root;
    private final Map<Path, Set<String>> anchorsByPage = new HashMap<>();

    /**
     * A checker for the pages under one folder.
     *
     * @param root the folder links may point into (the repository's root)
     */
    MarkdownLinkChecker(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /**
     * The broken links of one page, each as "page:line: target (why)".
     *
     * @param page a Markdown file
     * @return the problems found, empty when every link works
     */
    List<String> check(Path page) {
        Path absolute = page.toAbsolutePath().normalize();
        // Links may wrap across lines, so they are looked for in the whole text, with code blocks
        // and code spans blanked out and every line kept in its place.
        StringBuilder text = new StringBuilder();
        boolean inFence = false;
        for (String line : read(absolute)) {
            if (isFence(line)) {
                inFence = !inFence;
            } else if (!inFence) {
                text.append(CODE_SPAN.matcher(line).replaceAll(span -> " ".repeat(span.group().length())));
            }
            text.append('\n');
        }
        List<String> problems = new ArrayList<>();
        Matcher link = LINK.matcher(text);
        while (link.find()) {
            String problem = problem(absolute, link.group(1));
            if (problem != null) {
                long line = 1 + text.substring(0, link.start()).chars().filter(c -> c == '\n').count();
                problems.add(root.relativize(absolute) + ":" + line + ": " + link.group(1) + " (" + problem + ")");
            }
        }
        return problems;
    }

    private static boolean isFence(String line) {
        String stripped = line.strip();
        return stripped.startsWith("```") || stripped.startsWith("~~~");
    }

    private String problem(Path page, String target) {
        if (target.isEmpty() || SCHEME.matcher(target).find() || target.startsWith("//")) {
            return null;
        }
        int hash = target.indexOf('#');
        String file = URLDecoder.decode(hash < 0 ? target : target.substring(0, hash), StandardCharsets.UTF_8);
        String anchor = hash < 0 ? null : target.substring(hash + 1);
        if (file.startsWith("/")) {
            return "absolute paths break outside GitHub's view; link relative to the page";
        }
        Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
        if (!resolved.startsWith(root)) {
            return "points outside the repository";
        }
        if (!Files.exists(resolved)) {
            return "no such file";
        }
        if (anchor == null) {
            return null;
        }
        if (!resolved.getFileName().toString().endsWith(".md")) {
            return "an anchor on a file that is not Markdown";
        }
        Set<String> anchors = anchorsByPage.computeIfAbsent(resolved, this::anchors);
        String wanted = URLDecoder.decode(anchor, StandardCharsets.UTF_8);
        return anchors.contains(wanted) ? null : "no heading with the id '" + wanted + "' in "
                + root.relativize(resolved) + "; it has " + anchors;
    }

    private Set<String> anchors(Path page) {
        Set<String> anchors = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        boolean inFence = false;
        for (String line : read(page)) {
            if (isFence(line)) {
                inFence = !inFence;
                continue;
            }
            if (inFence) {
                continue;
            }
            Matcher html = HTML_ANCHOR.matcher(line);
            while (html.find()) {
                anchors.add(html.group(1));
            }
            Matcher heading = HEADING.matcher(line);
            if (heading.matches()) {
                String slug = slug(heading.group(2));
                // GitHub numbers repeated headings: the second "Limits" is #limits-1.
                int count = seen.merge(slug, 1, Integer::sum);
                anchors.add(count == 1 ? slug : slug + "-" + (count - 1));
            }
        }
        return anchors;
    }

    /**
     * The id GitHub gives a heading: its text without Markdown (links keep their text), in lower
     * case, without punctuation (letters, digits, spaces, hyphens and underscores stay), each
     * space a hyphen.
     *
     * @param heading the heading's text after its {@code #}s
     * @return the anchor that links to it
     */
    static String slug(String heading) {
        String text = heading.replaceAll("!?\\[([^\\]]*)]\\([^)]*\\)", "$1")
                .replaceAll("<[^>]+>", "");
        StringBuilder slug = new StringBuilder();
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            if (Character.isLetterOrDigit(codePoint) || codePoint == '_' || codePoint == '-') {
                slug.appendCodePoint(Character.toLowerCase(codePoint));
            } else if (codePoint == ' ') {
                slug.append('-');
            }
            i += Character.charCount(codePoint);
        }
        return slug.toString();
    }

    /**
     * The Markdown pages of the documentation: README.md and every {@code .md} file under docs/.
     *
     * @return the pages, in a stable order
     */
    List<Path> documentationPages() {
        List<Path> pages = new ArrayList<>();
        pages.add(root.resolve("README.md"));
        try (Stream<Path> files = Files.walk(root.resolve("docs"))) {
            files.filter(file -> file.toString().endsWith(".md")).sorted().forEach(pages::add);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the pages under " + root.resolve("docs"), e);
        }
        return pages;
    }

    private static List<String> read(Path page) {
        try {
            return Files.readAllLines(page, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + page, e);
        }
    }
}
