package io.erpsync;

/** erp-sync: {@code java -jar erp-sync.jar [--once | --replay [filter] | --report [options] | --training-run | --sandbox [options] | --help]} (Launcher.USAGE). */
public final class App {
    private App() {
    }

    public static void main(String[] args) {
        System.exit(new Launcher().run(args));
    }
}
