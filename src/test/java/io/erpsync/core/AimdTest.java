package io.erpsync.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The AIMD step the request rate and the write sizes share. */
class AimdTest {

    @Test
    void trouble_multiplies_by_the_decrease_rounding_down() {
        Aimd halve = Aimd.of("x", 0.5, 5);
        assertEquals(10, halve.decreased(20));
        assertEquals(7, halve.decreased(15), "7.5 rounds down");
        assertEquals(0, halve.decreased(1), "the owner lifts it to its floor");
        assertEquals(14, Aimd.of("x", 0.7, 1).decreased(20));
    }

    @Test
    void clean_steps_add_the_increase_each() {
        Aimd step = Aimd.of("x", 0.5, 5);
        assertEquals(25, step.increased(20, 1));
        assertEquals(35, step.increased(20, 3));
        assertEquals(20, step.increased(20, 0));
        assertEquals(3_000_000_010L, Aimd.of("x", 0.5, 3).increased(10, 1_000_000_000L), "no int overflow");
    }

    @Test
    void wrong_values_are_refused_naming_the_key() {
        for (double d : new double[] {0, 1, -0.5, 1.5, Double.NaN}) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Aimd.of("erp.rate", d, 1));
            assertTrue(e.getMessage().startsWith("erp.rate.decrease must be above 0 and below 1"), e.getMessage());
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Aimd.of("sync.batch.adaptive", 0.5, 0));
        assertEquals("sync.batch.adaptive.increase must be at least 1, was 0", e.getMessage());
        assertEquals(new Aimd(0.99, 1), Aimd.of("x", 0.99, 1));
    }
}
