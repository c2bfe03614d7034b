package io.erpsync;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The packaged jar as a child process, run the way the README says: from a folder holding routes/
 * and application.properties beside it, settings as -D options and environment variables.
 */
public final class JarProcess {
    public static final Path JAR = Path.of(System.getProperty("erpsync.jar", "target/erp-sync.jar")).toAbsolutePath();

    private final Process process;
    private final Path dir;
    private final Path out;
    private final Path err;

    private JarProcess(Process process, Path dir, Path out, Path err) {
        this.process = process;
        this.dir = dir;
        this.out = out;
        this.err = err;
    }

    /** Copies application.properties and routes/ into the folder, as an operator installs the jar. */
    public static Path install(Path dir) throws IOException {
        Files.copy(Path.of("application.properties"), dir.resolve("application.properties"), StandardCopyOption.REPLACE_EXISTING);
        Path routes = Files.createDirectories(dir.resolve("routes"));
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path f : files.toList()) {
                Files.copy(f, routes.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return dir;
    }

    public static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * Starts the jar in {@code dir}; leading "-D..." arguments go to the JVM, {@code settings} become
     * -D options too, the rest are the jar's arguments. Output goes to numbered files in the folder.
     */
    public static JarProcess start(Path dir, Map<String, String> env, Map<String, String> settings, String... args) throws IOException {
        // a test's runs are short: the C1 compiler alone and the serial collector cost the suite's two cores the least
        List<String> cmd = new ArrayList<>(List.of(javaBin(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        settings.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        List<String> rest = new ArrayList<>(List.of(args));
        while (!rest.isEmpty() && rest.get(0).startsWith("-D")) {
            cmd.add(rest.remove(0));
        }
        cmd.add("-jar");
        cmd.add(JAR.toString());
        cmd.addAll(rest);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().remove("CAMEL_MAIN_PROFILE");
        pb.environment().putAll(env);
        int n = 1;
        while (Files.exists(dir.resolve("stdout-" + n + ".txt"))) {
            n++;
        }
        Path out = dir.resolve("stdout-" + n + ".txt");
        Path err = dir.resolve("stderr-" + n + ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        return new JarProcess(pb.start(), dir, out, err);
    }

    /** Waits for the process to end; fails the test if it outlives the limit. */
    public int waitFor(Duration limit) throws Exception {
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("the jar did not finish in " + limit + ": " + tail(stderr()));
        }
        return process.exitValue();
    }

    /** SIGKILL: no shutdown hook, no finally block, nothing flushed. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM: Camel's graceful shutdown. */
    public void terminate() {
        process.destroy();
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String stdout() throws IOException {
        return Files.readString(out);
    }

    public String stderr() throws IOException {
        return Files.readString(err);
    }

    public Path dir() {
        return dir;
    }

    private static String tail(String s) {
        return s.length() <= 4000 ? s : "..." + s.substring(s.length() - 4000);
    }
}
