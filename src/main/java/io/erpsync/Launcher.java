package io.erpsync;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.erpsync.config.Durations;
import io.erpsync.config.Settings;
import io.erpsync.config.StartupRefused;
import io.erpsync.core.CycleSummary;
import io.erpsync.ops.LockReport;
import io.erpsync.sandbox.Knobs;
import io.erpsync.sandbox.SandboxErp;
import io.erpsync.sandbox.storefront.SampleStorefront;
import io.erpsync.sandbox.storefront.SandboxStorefront;
import io.erpsync.sync.CycleRunner;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.model.ModelCamelContext;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

/** Reads the command line and runs the runtime, one cycle, or the sandbox ERP alone. */
public final class Launcher {
    static final String USAGE = """
            usage: java -jar erp-sync.jar [--once | --replay [filter] [--target name] | --report [--since 7d] [--json] | --training-run
                                           | --sandbox [--port N] [--bind host] [--items N] [--bills N] [--categories N] [--username u] [--password p]
                                                       [--token t] [--<knob> value ...]
                                           | --sandbox storefront [--port N] [--bind host] [--records N] | --help | -h]
              (no option)  run the runtime: a sync cycle on the sync.cron schedule, until stopped
              --once       run one cycle now, print a one-line JSON summary and exit
                           0 = all synced or unchanged, 2 = some items parked, 1 = the cycle failed
              --replay [filter] [--target name]
                           replay OPEN exceptions: all (default), id=<exception id>, item=<ItemNumber>, class=<failure class>;
                           of one target (targets; the first by default, or target=<name> in the filter);
                           prints a summary and exits like --once
              --report [--since 7d] [--json]
                           the lock-pattern report: hottest items, conflicts by hour and weekday,
                           by lock owner, conflict rate per cycle
              --sandbox    run the sandbox ERP alone (see README: Sandbox ERP): on --port (8089) of --bind, seeding --items
                           items over --categories categories (5) and --bills bills, accepting --username/--password or --token;
                           any knob as --<knob> value
              --sandbox storefront
                           run the storefront sandbox alone (README: Storefront): on --port (8090) of --bind, with --records
                           inventory records (1000) in inventory_m1 and inventory_m2, client erp-sync / sandbox
              --training-run
                           one cycle against the in-process sandbox on in-memory databases, nothing kept:
                           run it with -XX:ArchiveClassesAtExit=erp-sync.jsa to make a start-up archive
              --help, -h   print this and exit
            settings: application.properties beside the jar, -Dkey=value, or environment variables (ERP_BASE_URL)""";

    public int run(String[] args) {
        List<String> a = Arrays.asList(args);
        if (a.contains("--help") || a.contains("-h")) {
            System.out.println(USAGE);
            return 0;
        }
        if (a.contains("--sandbox")) {
            return runSandbox(args);
        }
        if (a.contains("--training-run")) {
            return runTraining();
        }
        if (a.contains("--once")) {
            // no BOM cycle to run: its routes are not made (bom.routes, the BOM routes' precondition)
            return runOne(ctx -> {
                Map<String, CycleSummary> byTarget = CycleRunner.runCycles(ctx, "ONCE");
                boolean bom = new Settings(ctx.getPropertiesComponent()).flag("bom.enabled");
                return Output.of(byTarget, bom ? CycleRunner.runBomCycle(ctx) : null);
            }, Map.of("bom.routes", "{{bom.enabled}}"));
        }
        if (!a.isEmpty() && a.get(0).equals("--report")) {
            return runReport(a);
        }
        if (!a.isEmpty() && a.get(0).equals("--replay") && a.indexOf("--target") == a.size() - 2 && a.size() <= 4) {
            // --replay [filter] --target name: that target's exception rows
            String filter = a.size() == 4 ? a.get(1) : "all";
            String target = a.get(a.size() - 1);
            return runOne(ctx -> Output.of(CycleRunner.runReplay(ctx, filter, target)));
        }
        if (!a.isEmpty() && a.get(0).equals("--replay") && a.size() <= 2) {
            String filter = a.size() == 2 ? a.get(1) : "all";
            return runOne(ctx -> Output.of(CycleRunner.runReplay(ctx, filter)));
        }
        if (!a.isEmpty()) {
            System.err.println("unknown option " + a + "\n" + USAGE);
            return 64;
        }
        return runMain(newMain());
    }

    /**
     * The runtime as configured: routes from file:routes/, settings from application.properties, the
     * profile's file and overrides. The profile comes from -Dcamel.main.profile or CAMEL_MAIN_PROFILE, else dev.
     */
    public static Main newMain() {
        String profile = System.getProperty("camel.main.profile", System.getenv().getOrDefault("CAMEL_MAIN_PROFILE", "dev"));
        return newMain(profile);
    }

    public static Main newMain(String profile) {
        Main main = new Main();
        main.configure().setProfile(profile);
        main.addInitialProperty("camel.main.profile", profile);
        List<CamelConfiguration> features = features();
        features.forEach(main.configure()::addConfiguration);
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport m) {
                for (CamelConfiguration feature : features) {
                    if (feature instanceof RoutesLoaded r) {
                        r.routesLoaded(m.getCamelContext());
                    }
                }
            }
        });
        main.setDefaultPropertyPlaceholderLocation("classpath:application.properties;optional=true,file:application.properties;optional=true");
        return main;
    }

    /**
     * The wiring, one configuration per feature, in the order Camel runs them: each builds on those
     * before it (the sandbox first, so the store's sample warehouse and the ERP's URL can follow it).
     * Each binds its beans in configure() under the names the routes use; not as @BindToRegistry
     * methods, which camel-main calls before any configure() and in no set order within a class.
     */
    static List<CamelConfiguration> features() {
        Resources resources = new Resources();
        SandboxConfiguration sandbox = new SandboxConfiguration(resources);
        StoreConfiguration store = new StoreConfiguration(resources, sandbox);
        BreakerAndGateConfiguration breakerAndGate = new BreakerAndGateConfiguration(store);
        ErpConfiguration erp = new ErpConfiguration();
        StorefrontConfiguration storefront = new StorefrontConfiguration(resources);
        SyncConfiguration sync = new SyncConfiguration(resources, store, breakerAndGate, erp, storefront);
        BomConfiguration bom = new BomConfiguration(resources, store, sync);
        OperationsConfiguration operations = new OperationsConfiguration(resources, store, breakerAndGate, erp, storefront, sync, bom);
        return List.of(new RuntimeConfiguration(resources), sandbox, store, breakerAndGate, erp, storefront, sync, bom, operations,
                new DemoConfiguration(resources, sandbox));
    }

    /** What a one-shot run prints on stdout, and its exit code. */
    record Output(String text, int exit) {
        static Output of(CycleSummary s) {
            try {
                return new Output(new ObjectMapper().writeValueAsString(s.asMap()), s.exitCode());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        /**
         * The first target's summary as before; with several targets each target's summary under
         * "targets" too, and the BOM cycle's under "bom"; the exit code of the worst (1 over 2 over 0).
         */
        static Output of(Map<String, CycleSummary> byTarget, CycleSummary bom) {
            CycleSummary first = byTarget.values().iterator().next();
            if (byTarget.size() == 1) {
                return bom == null ? of(first) : of(first, bom);
            }
            Map<String, Object> m = new LinkedHashMap<>(first.asMap());
            Map<String, Object> targets = new LinkedHashMap<>();
            int exit = 0;
            List<CycleSummary> all = new ArrayList<>(byTarget.values());
            byTarget.forEach((t, s) -> targets.put(t, s.asMap()));
            m.put("targets", targets);
            if (bom != null) {
                m.put("bom", bom.asMap());
                all.add(bom);
            }
            for (CycleSummary s : all) {
                exit = exit == 1 || s.exitCode() == 1 ? 1 : Math.max(exit, s.exitCode());
            }
            try {
                return new Output(new ObjectMapper().writeValueAsString(m), exit);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        /** The stock cycle's summary with the BOM cycle's under "bom"; the exit code of the worse of the two (1 over 2 over 0). */
        static Output of(CycleSummary stock, CycleSummary bom) {
            Map<String, Object> m = new LinkedHashMap<>(stock.asMap());
            m.put("bom", bom.asMap());
            int exit = stock.exitCode() == 1 || bom.exitCode() == 1 ? 1 : Math.max(stock.exitCode(), bom.exitCode());
            try {
                return new Output(new ObjectMapper().writeValueAsString(m), exit);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Starts the runtime without its schedule, runs one job, prints its output, exits with its code. */
    private int runOne(Function<CamelContext, Output> job) {
        return runOne(job, Map.of());
    }

    /** A one-shot job, with settings of its own over every other source. */
    private int runOne(Function<CamelContext, Output> job, Map<String, String> overrides) {
        Main main = oneShot(newMain());
        overrides.forEach(main::addOverrideProperty);
        int[] exit = {1};
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterStart(BaseMainSupport m) {
                try {
                    Output out = job.apply(m.getCamelContext());
                    System.out.println(out.text());
                    exit[0] = out.exit();
                } catch (Exception e) {
                    System.err.println("erp-sync: " + e.getMessage());
                    exit[0] = 1;
                } finally {
                    ((Main) m).completed();
                }
            }
        });
        int code = runMain(main);
        return code != 0 ? code : exit[0];
    }

    /**
     * A cycle that touches every class a real one does, against the in-process sandbox and in-memory
     * databases, keeping nothing: the training run for a class-data-sharing archive (README: Start-up).
     */
    private int runTraining() {
        Main main = withoutSchedules(newMain("dev"));
        main.addOverrideProperty("sandbox.enabled", "true");
        main.addOverrideProperty("sandbox.port", "0");
        main.addOverrideProperty("store.datasource.url", "jdbc:h2:mem:training-store;DB_CLOSE_DELAY=-1");
        main.addOverrideProperty("wms.datasource.url", "jdbc:h2:mem:training-wms;DB_CLOSE_DELAY=-1");
        main.addOverrideProperty("wms.sample.enabled", "true");
        main.addOverrideProperty("camel.management.enabled", "false");
        main.addOverrideProperty("camel.main.routes-reload-enabled", "false");
        int[] exit = {1};
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterStart(BaseMainSupport m) {
                try {
                    CycleSummary s = CycleRunner.runCycle(m.getCamelContext(), "TRAINING");
                    System.err.println("erp-sync training run: " + s.status() + ", " + s.updated() + " items updated");
                    exit[0] = s.exitCode() == 1 ? 1 : 0;
                } finally {
                    ((Main) m).completed();
                }
            }
        });
        int code = runMain(main);
        return code != 0 ? code : exit[0];
    }

    private int runReport(List<String> a) {
        Duration since = Duration.ofDays(7);
        int i = a.indexOf("--since");
        if (i >= 0) {
            if (i + 1 >= a.size()) {
                System.err.println("--since needs a duration such as 7d, 24h or 90m");
                return 64;
            }
            try {
                since = Durations.parse("--since", a.get(i + 1));
            } catch (IllegalStateException e) {
                System.err.println(e.getMessage());
                return 64;
            }
        }
        boolean json = a.contains("--json");
        Instant from = Instant.now().minus(since);
        return runOne(ctx -> {
            LockReport.Report r = ctx.getRegistry().lookupByNameAndType("lockReport", LockReport.class).since(from);
            try {
                return new Output(json ? new ObjectMapper().writeValueAsString(r) : LockReport.text(r), 0);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** A one-shot run never fires the schedule: its Quartz scheduler is not started. */
    private static Main withoutSchedules(Main main) {
        main.addOverrideProperty("sync.schedule.enabled", "false");
        return main;
    }

    /**
     * A one-shot run (--once, --replay, --report) starts only what one job uses (README: Start-up):
     * no schedule (neither the Quartz scheduler nor the schedule routes), no management HTTP server
     * (health, metrics, the status page, Jolokia: nobody scrapes a process that lives seconds, and a
     * --once beside a service met the service's port), no metrics binders, no route reloading, and
     * JMX for the context and the SyncService alone instead of an MBean per processor.
     */
    static Main oneShot(Main main) {
        withoutSchedules(main);
        OneShot.OVERRIDES.forEach(main::addOverrideProperty);
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport m) {
                // configured (camel.component.quartz.*) but used by no route left: its scheduler and ten threads are not made.
                // Routes from elsewhere (another routes-include-pattern) keep it, with its auto-start-scheduler = false
                ModelCamelContext ctx = (ModelCamelContext) m.getCamelContext();
                boolean used = ctx.getRouteDefinitions().stream().anyMatch(r -> r.getInput() != null
                        && String.valueOf(r.getInput().getEndpointUri()).startsWith("quartz:"));
                if (!used) {
                    ctx.removeComponent("quartz");
                }
            }
        });
        return main;
    }

    private int runMain(Main main) {
        try {
            return main.run(new String[0]);
        } catch (StartupRefused e) {
            System.err.println(e.getMessage());
            return 1;
        } catch (Exception e) {
            StartupRefused refused = cause(e);
            System.err.println(refused != null ? refused.getMessage() : "erp-sync failed: " + e.getMessage());
            return 1;
        }
    }

    private static StartupRefused cause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof StartupRefused r) {
                return r;
            }
        }
        return null;
    }

    private int runSandbox(String[] args) {
        boolean storefront = args.length > 1 && args[0].equals("--sandbox") && args[1].equals("storefront");
        Map<String, String> options = sandboxOptions(args, storefront ? 2 : 1);
        if (options == null) {
            return 64;
        }
        return storefront ? runStorefrontSandbox(options) : runErpSandbox(options);
    }

    /** The sandbox's options from {@code from} on, each --name value, in order; null (said why) when one is not. */
    private static Map<String, String> sandboxOptions(String[] args, int from) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = from; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || i + 1 >= args.length) {
                System.err.println("sandbox options come as --name value; got " + arg + "\n" + USAGE);
                return null;
            }
            out.put(arg, args[++i]);
        }
        return out;
    }

    private int runErpSandbox(Map<String, String> options) {
        SandboxErp.Config c = new SandboxErp.Config();
        c.port = 8089;
        options.forEach((arg, value) -> {
            switch (arg) {
                case "--port" -> c.port = Integer.parseInt(value);
                case "--bind" -> c.bindAddress = value;
                case "--items" -> c.items = Integer.parseInt(value);
                case "--bills" -> c.bills = Integer.parseInt(value);
                case "--categories" -> c.categories = Integer.parseInt(value);
                case "--username" -> c.username = value;
                case "--password" -> c.password = value;
                case "--token" -> c.token = value;
                default -> Knobs.apply(c.knobs, arg.substring(2), value);
            }
        });
        try (SandboxErp erp = new SandboxErp(c).start()) {
            System.out.println("sandbox ERP listening on " + erp.baseUrl() + " with " + erp.itemCount() + " items (user "
                    + c.username + "); knobs at " + erp.baseUrl() + "/sandbox/knobs. Ctrl-C stops it.");
            return untilStopped();
        } catch (Exception e) {
            System.err.println("sandbox ERP failed: " + e.getMessage());
            return 1;
        }
    }

    /** --sandbox storefront: the storefront sandbox alone, seeded with --records records, until stopped. */
    private int runStorefrontSandbox(Map<String, String> options) {
        SandboxStorefront.Config c = new SandboxStorefront.Config();
        c.port = 8090;
        int records = 1000;
        for (var o : options.entrySet()) {
            switch (o.getKey()) {
                case "--port" -> c.port = Integer.parseInt(o.getValue());
                case "--bind" -> c.bindAddress = o.getValue();
                case "--records" -> records = Integer.parseInt(o.getValue());
                default -> {
                    System.err.println("unknown storefront sandbox option " + o.getKey() + "\n" + USAGE);
                    return 64;
                }
            }
        }
        try (SandboxStorefront sf = new SandboxStorefront(c).start()) {
            SampleStorefront.seed(sf, records);
            System.out.println("sandbox storefront listening on " + sf.baseUrl() + " with " + records + " records in inventory_m1 and "
                    + "inventory_m2 (client " + c.clientId + "). Ctrl-C stops it.");
            return untilStopped();
        } catch (Exception e) {
            System.err.println("sandbox storefront failed: " + e.getMessage());
            return 1;
        }
    }

    /** Blocks until the process is asked to stop (Ctrl-C, SIGTERM); then 0. */
    private static int untilStopped() throws InterruptedException {
        CountDownLatch forever = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(forever::countDown));
        forever.await();
        return 0;
    }
}
