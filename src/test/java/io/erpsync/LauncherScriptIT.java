package io.erpsync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** bin/erp-sync, the README's launcher: a --once that makes the class-data-sharing archive, then one that maps it. */
class LauncherScriptIT {
    static final Path SCRIPT = Path.of("bin/erp-sync").toAbsolutePath();

    record Run(int exit, String stdout, String stderr) {
    }

    static Run once(Path dir, String javaOpts) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(SCRIPT.toString(), "--once").directory(dir.toFile())
                .redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile());
        pb.environment().remove("CAMEL_MAIN_PROFILE");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("JAVA_OPTS", "-Dsandbox.port=0 " + javaOpts);
        Process p = pb.start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("bin/erp-sync --once did not end: " + Files.readString(dir.resolve("err.txt")));
        }
        return new Run(p.exitValue(), Files.readString(dir.resolve("out.txt")), Files.readString(dir.resolve("err.txt")));
    }

    @Test
    void the_first_once_makes_the_start_up_archive_and_the_next_one_loads_its_classes_from_it(@TempDir Path dir) throws Exception {
        JarProcess.install(dir);
        Files.copy(JarProcess.JAR, dir.resolve("erp-sync.jar"));

        Run first = once(dir, "");

        assertEquals(0, first.exit(), first.stderr());
        assertEquals(1, first.stdout().lines().count(), "the summary alone on stdout: " + first.stdout());
        assertEquals("SUCCEEDED", new ObjectMapper().readTree(first.stdout()).path("status").asText());
        assertTrue(Files.size(dir.resolve("erp-sync.jsa")) > 1_000_000, "the archive beside the jar");
        try (Stream<Path> files = Files.list(dir)) {
            List<String> left = files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("erp-sync.jsa.")).toList();
            assertEquals(List.of(), left, "no half-made archive left behind");
        }

        Run second = once(dir, "-Xlog:class+load=info:file=" + dir.resolve("classes.log"));

        assertEquals(0, second.exit(), second.stderr());
        assertEquals("SUCCEEDED", new ObjectMapper().readTree(second.stdout()).path("status").asText());
        long fromArchive = Files.readAllLines(dir.resolve("classes.log")).stream().filter(l -> l.contains("io.erpsync.Launcher ")
                && l.contains("shared objects file (top)")).count();
        assertEquals(1, fromArchive, "erp-sync's own classes come from the archive the first run made");
    }
}
