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
    void slow_start_doubles_back_to_the_value_before_the_trouble_after_a_clean_spell_and_adds_above_it() {
        Aimd step = Aimd.of("x", 0.5, 1);
        Aimd.Level l = step.down(Aimd.Level.at(80), 1);
        assertEquals(40, l.value());
        assertEquals(80, l.good());
        l = step.up(l, 1, 100);
        assertEquals(41, l.value(), "within the spell: additive");
        l = step.up(l, 1, 100);
        assertEquals(80, l.value(), "after the spell: doubled (82), capped at the good value");
        l = step.up(l, Aimd.SPELL + 3, 100);
        assertEquals(85, l.value(), "above the good value: additive");
        l = step.up(l, 1_000_000_000L, 100);
        assertEquals(100, l.value(), "never above the ceiling");
    }

    @Test
    void trouble_within_a_jumps_spell_halves_again_and_forgets_the_good_value_until_a_long_spell() {
        Aimd step = Aimd.of("x", 0.5, 1);
        Aimd.Level l = step.up(step.down(Aimd.Level.at(40), 1), Aimd.SPELL, 40);
        assertEquals(40, l.value());
        l = step.down(l, 1);
        assertEquals(20, l.value());
        assertEquals(0, l.good());
        l = step.up(l, Aimd.SPELL + 1, 40);
        assertEquals(23, l.value(), "plain AIMD");
        l = step.up(l, Aimd.LONG_SPELL, 40);
        assertTrue(l.value() > 23 + Aimd.LONG_SPELL, "after a long spell slow start again, was " + l.value());
        assertTrue(l.value() <= 40);
        assertEquals(3, step.down(new Aimd.Level(4, 0, 0, false), 3).value(), "never below the floor");
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

    @Test
    void trouble_remembers_the_value_before_it_only_after_a_clean_spell() {
        Aimd step = Aimd.of("x", 0.5, 1);
        assertEquals(80, step.down(new Aimd.Level(80, 0, Aimd.SPELL, false), 1).good(), "a spell of clean steps: remembered");
        assertEquals(0, step.down(new Aimd.Level(80, 0, Aimd.SPELL - 1, false), 1).good(), "one step short: not");
        assertEquals(90, step.down(new Aimd.Level(80, 90, Aimd.SPELL, false), 1).good(), "the higher of the two");
        assertEquals(90, step.down(new Aimd.Level(80, 90, 0, false), 1).good(), "kept without a spell");
        assertEquals(0, step.down(new Aimd.Level(80, 90, Aimd.SPELL, true), 1).good(), "a jump that met trouble forgets it");
    }

    @Test
    void growth_stops_at_the_ceiling_and_jumps_only_after_a_spell() {
        Aimd step = Aimd.of("x", 0.5, 1);
        Aimd.Level atCeiling = step.up(new Aimd.Level(100, 0, 0, false), 3, 100);
        assertEquals(new Aimd.Level(100, 0, 3, false), atCeiling, "at the ceiling: only the clean steps counted");
        assertEquals(100, step.up(new Aimd.Level(150, 0, 0, false), 1, 100).value(), "a value above a lowered ceiling comes down to it");
        Aimd.Level oneShort = step.up(new Aimd.Level(20, 80, 0, false), Aimd.SPELL - 1, 100);
        assertEquals(20 + Aimd.SPELL - 1, oneShort.value(), "no jump before the spell");
        Aimd.Level jumped = step.up(new Aimd.Level(20, 80, Aimd.SPELL - 1, false), 1, 100);
        assertEquals(new Aimd.Level(40, 80, 0, true), jumped, "the spell's step doubles and starts probing");
        assertEquals(new Aimd.Level(80, 80, 0, true), step.up(jumped, Aimd.SPELL, 100),
                "after the jump's own clean spell (one additive step, then the next jump), capped at the good value");
    }
}
