package io.erpsync;

/** erp-sync: {@code java -jar erp-sync.jar [--once | --sandbox [options] | --help]}. */
public final class App {
    private App() {
    }

    public static void main(String[] args) {
        System.exit(new Launcher().run(args));
    }
}
