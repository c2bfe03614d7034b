package io.erpsync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.erpsync.core.CycleSummary;
import io.erpsync.gate.JobGate;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** A cycle's items wait for its job gate's verdict (asked beside the WMS read); what a skip, a failure or no gate mean. */
class GateVerdictTest {
    private static Cycle cycle() {
        return new Cycle(7, "TEST", Instant.now(), 100, Instant.EPOCH);
    }

    private static JobGate gate(String onError) {
        return new JobGate(List.of("Cost Update"), Duration.ofSeconds(30), Duration.ofMinutes(10), "skip", onError, Clock.systemUTC());
    }

    @Test
    void a_run_without_a_gate_passes_at_once() throws Exception {
        assertTrue(cycle().gatePassed(), "a replay has no gate");
        Cycle c = cycle();
        JobGate off = new JobGate(List.of(), Duration.ofSeconds(30), Duration.ofMinutes(10), "skip", "proceed", Clock.systemUTC());
        c.gate(off.open(c));
        assertTrue(c.gatePassed(), "no jobs watched: the gate is open");
        assertNull(c.skipStatus());
    }

    @Test
    void a_gate_that_skips_marks_the_cycle_skipped_with_its_reason() throws Exception {
        Cycle c = cycle();
        JobGate gate = gate("skip");
        JobGate.Check check = gate.open(c);
        c.gate(check);
        assertSame(check, gate.current(), "waiting at the gate");
        assertTrue(gate.undecided(check));

        gate.unreachable(check, new IllegalStateException("ESS down"));

        assertFalse(c.gatePassed());
        assertEquals(CycleSummary.SKIPPED_JOB_RUNNING, c.skipStatus());
        assertTrue(c.skipReason().contains("ESS down"), c.skipReason());
        assertNull(gate.current());
    }

    @Test
    void a_cycle_that_fails_while_the_gate_is_undecided_abandons_it_and_a_late_answer_changes_nothing() throws Exception {
        Cycle c = cycle();
        JobGate gate = gate("proceed");
        JobGate.Check check = gate.open(c);
        c.gate(check);
        c.fail("erp-sync was stopped", Duration.ZERO);

        assertFalse(c.gatePassed(), "no item of a failed cycle goes to the ERP");
        assertFalse(gate.undecided(check), "the gate stops asking");
        assertNull(gate.current());
        assertTrue(check.awaitVerdict(0));
        assertNull(c.skipStatus(), "a failed cycle is recorded FAILED, not skipped");

        gate.unreachable(check, new IllegalStateException("late"));
        assertFalse(check.passed(), "the first verdict stands");
        assertTrue(check.skipping());
    }

    @Test
    void the_verdict_proceed_lets_the_items_go() throws Exception {
        Cycle c = cycle();
        JobGate gate = gate("proceed");
        JobGate.Check check = gate.open(c);
        c.gate(check);
        assertFalse(check.awaitVerdict(0), "undecided until answered");

        gate.unreachable(check, new IllegalStateException("ESS down"));

        assertTrue(c.gatePassed());
        assertNull(c.skipStatus());
    }
}
