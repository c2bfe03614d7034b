package io.erpsync;

import io.erpsync.sandbox.SandboxErp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A fresh sandbox ERP and a runtime wired to it for each test. The test sets what it is about on
 * {@link #rt} and starts it; both are closed after the test.
 */
public abstract class SandboxTest {
    protected SandboxErp erp;
    protected TestRuntime rt;

    /** How many items the sandbox seeds. */
    protected int sandboxItems() {
        return 500;
    }

    @BeforeEach
    void sandbox() throws Exception {
        erp = TestRuntime.sandbox(sandboxItems());
        rt = new TestRuntime(erp);
    }

    /** Runs a bench once per seed of the comma-separated list, each from the sandbox's first state (a fresh sandbox and runtime). */
    protected void eachSeed(String seeds, Seeded run) throws Exception {
        boolean first = true;
        for (String seed : seeds.split(",")) {
            if (!first) {
                rt.close();
                erp.close();
                erp = TestRuntime.sandbox(sandboxItems());
                rt = new TestRuntime(erp);
            }
            first = false;
            run.run(Long.parseLong(seed.trim()));
        }
    }

    /** A bench's run for one seed. */
    protected interface Seeded {
        void run(long seed) throws Exception;
    }

    @AfterEach
    void closeSandbox() {
        rt.close();
        erp.close();
    }
}
