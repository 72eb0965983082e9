package io.zeroagents.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The settings reference, {@code docs/reference/settings.md}, says what {@link ZeroAgentsSettings}
 * holds: a row per key, in the same order, with its variable and its default, and no row for a
 * setting that does not exist.
 */
class SettingsTableTest {
    private static final Path PAGE = Path.of("..", "docs", "reference", "settings.md");
    private static final String SECTION = "# Settings";

    private static List<Row> rows = List.of();

    /** One row of the table: its cells without the backquotes around names. */
    private record Row(String property, String variable, String defaultCell) {
    }

    @BeforeAll
    static void readTheTable() throws IOException {
        // Tests run in the module's directory; the page is the project's.
        List<String> lines = Files.readAllLines(PAGE, StandardCharsets.UTF_8);
        int start = lines.indexOf(SECTION);
        assertTrue(start >= 0, PAGE + " has no section '" + SECTION + "'");
        List<Row> found = new ArrayList<>();
        for (String line : lines.subList(start + 1, lines.size())) {
            if (line.startsWith("#")) {
                break;
            }
            if (line.startsWith("| `zeroagents.")) {
                String[] cells = line.substring(1, line.length() - 1).split("\\|", 3);
                assertEquals(3, cells.length, line);
                found.add(new Row(unquote(cells[0]), unquote(cells[1]), cells[2].strip()));
            }
        }
        rows = found;
    }

    private static String unquote(String cell) {
        return cell.strip().replace("`", "");
    }

    @Test
    void settingsPage_table_listsEveryKeyOnceInTheRegistrysOrder() {
        assertEquals(ZeroAgentsSettings.all().stream().map(ConfigKey::property).toList(),
                rows.stream().map(Row::property).toList());
    }

    @Test
    void settingsPage_table_givesEachKeysVariableAndDefault() {
        Map<String, Row> byProperty = rows.stream().collect(Collectors.toMap(Row::property, Function.identity()));
        for (ConfigKey<?> key : ZeroAgentsSettings.all()) {
            Row row = byProperty.get(key.property());
            assertTrue(row != null, PAGE + " lacks " + key.property());
            assertEquals(key.variable(), row.variable(), key.property());
            assertTrue(row.defaultCell().startsWith(key.documentedDefault()), () -> key.property()
                    + ": the settings page's default '" + row.defaultCell() + "' does not begin with '"
                    + key.documentedDefault() + "'");
        }
    }
}
