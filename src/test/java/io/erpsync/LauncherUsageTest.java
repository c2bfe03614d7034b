package io.erpsync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The usage line names every option the launcher reads, so --help is the whole command line. */
class LauncherUsageTest {

    @Test
    void every_option_the_launcher_reads_is_in_its_usage_line() throws Exception {
        Set<String> read = new TreeSet<>();
        Matcher m = Pattern.compile("\"(--?[a-z][a-z-]*)\"").matcher(Files.readString(Path.of("src/main/java/io/erpsync/Launcher.java")));
        while (m.find()) {
            read.add(m.group(1));
        }
        assertTrue(read.containsAll(List.of("--once", "--replay", "--report", "--training-run", "--sandbox", "--since", "--json", "--port")),
                "the options read: " + read);
        Set<String> missing = new TreeSet<>();
        for (String option : read) {
            if (!Pattern.compile("(^|[\\s\\[|/(])" + Pattern.quote(option) + "([\\s\\]|/,)]|$)", Pattern.MULTILINE).matcher(Launcher.USAGE).find()) {
                missing.add(option);
            }
        }
        assertEquals(Set.of(), missing, "options the launcher reads that its usage line does not name");
    }
}
