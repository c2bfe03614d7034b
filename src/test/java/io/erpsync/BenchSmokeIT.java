package io.erpsync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The bench harness on a few hundred items, so that it keeps working: one row per client and scenario,
 * nothing lost, and the ideal client (the reference of cycle/ideal) syncs everything with the requests it must send.
 */
class BenchSmokeIT {

    @Test
    void the_harness_prints_a_row_for_erp_sync_the_baseline_and_the_ideal_client_and_erp_sync_and_the_ideal_land_every_item() throws Exception {
        Path out = Files.createTempFile("bench-smoke", ".txt");
        Process p = new ProcessBuilder(JarProcess.javaBin(), "-cp", JarProcess.JAR.toString(), "bench/Bench.java", "--sizes", "300",
                "--scenarios", "none", "--baseline", "--latency-ms", "1", "--batch", "50", "--lanes", "2", "--concurrency", "2",
                "--jvm", "-XX:TieredStopAtLevel=1").redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the harness finished");
        String table = Files.readString(out);
        assertEquals(0, p.exitValue(), table);

        // one scenario keeps the suite short: the scenarios are the bench's own (bench/run.sh runs them all)
        List<String[]> rows = table.lines().filter(l -> l.startsWith("| none")).map(l -> l.split("\\|")).toList();
        assertEquals(3, rows.size(), table);
        assertEquals(1, rows.stream().filter(r -> r[2].trim().equals("ideal")).count(), "one ideal run per size: " + table);
        for (String[] r : rows) {
            String client = r[2].trim();
            assertTrue(client.equals("erp-sync") || client.equals("naive") || client.equals("ideal"), table);
            if (client.equals("ideal")) {
                assertEquals(300, Integer.parseInt(r[16].trim()), "the ideal client landed: " + table);
                assertEquals(0, Integer.parseInt(r[19].trim()), "the ideal client lost: " + table);
                // 10 segments of 30 items: one read and one write (batch 50) each
                assertEquals(20, Long.parseLong(r[8].trim()), "the ideal client's requests: " + table);
            } else {
                assertTrue(!r[20].trim().equals("-") && Double.parseDouble(r[21].trim()) > 0, "cycle/ideal on every row: " + table);
            }
            assertTrue(Long.parseLong(r[8].trim()) > 0, "requests counted: " + table);
            if (client.equals("erp-sync")) {
                assertEquals(300, Integer.parseInt(r[16].trim()), "landed: " + table);
                assertEquals(0, Integer.parseInt(r[19].trim()), "lost or stale: " + table);
                assertTrue(Long.parseLong(r[8].trim()) < 300 / 2, "a fraction of a request per item: " + table);
            }
        }
    }
}
