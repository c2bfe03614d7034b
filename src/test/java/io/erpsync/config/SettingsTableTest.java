package io.erpsync.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The README's settings table and application.properties name the same keys with the same
 * defaults: a default is written in the file, and the table repeats it for the reader.
 */
class SettingsTableTest {
    private static final Pattern SETTING = Pattern.compile("^([a-z][a-z0-9.-]*)\\s*=\\s*(.*?)\\s*$");
    /** | `key` | `default` and a note, or a note alone for a blank default | meaning | */
    private static final Pattern ROW = Pattern.compile("^\\| `([a-z][a-z0-9.-]*)` \\|([^|]*)\\|.+\\|$");
    private static final Pattern DEFAULT = Pattern.compile("^\\s*`([^`]*)`");

    static Map<String, String> fileDefaults() throws IOException {
        Map<String, String> keys = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of("application.properties"))) {
            Matcher m = SETTING.matcher(line);
            if (m.matches()) {
                keys.put(m.group(1), m.group(2));
            }
        }
        return keys;
    }

    static Map<String, String> tableDefaults(List<String> readme) {
        Map<String, String> keys = new LinkedHashMap<>();
        int start = readme.indexOf("## Configuration");
        for (String line : readme.subList(start, readme.size())) {
            if (line.startsWith("### ")) {
                break;
            }
            Matcher m = ROW.matcher(line);
            if (m.matches()) {
                Matcher d = DEFAULT.matcher(m.group(2));
                keys.put(m.group(1), d.find() ? d.group(1) : "");
            }
        }
        return keys;
    }

    @Test
    void every_key_of_application_properties_is_in_the_readme_table_with_its_default_and_no_other() throws IOException {
        Map<String, String> file = fileDefaults();
        Map<String, String> table = tableDefaults(Files.readAllLines(Path.of("README.md")));
        assertTrue(file.size() > 100, "application.properties read: " + file.size() + " keys");
        List<String> wrong = new ArrayList<>();
        file.forEach((key, value) -> {
            if (!table.containsKey(key)) {
                wrong.add(key + " is not in the README's settings table");
            } else if (!table.get(key).equals(value)) {
                wrong.add(key + ": the README says '" + table.get(key) + "', application.properties '" + value + "'");
            }
        });
        table.keySet().stream().filter(key -> !file.containsKey(key))
                .forEach(key -> wrong.add(key + " is in the README's table but not in application.properties"));
        assertEquals(List.of(), wrong);
    }

    @Test
    void a_table_default_that_disagrees_is_told_apart_from_a_blank_one() {
        Map<String, String> table = tableDefaults(List.of("## Configuration", "| `a.b` | `5s` (`1s` in dev) | x |", "| `c` | (required) | y |",
                "### next", "| `d` | `1` | z |"));
        assertEquals(Map.of("a.b", "5s", "c", ""), table);
    }
}
