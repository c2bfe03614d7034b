package io.erpsync.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The settings without which the runtime cannot run outside the dev profile, all named at once. */
public final class RequiredSettings {
    private RequiredSettings() {
    }

    public static List<String> missing(Settings s) {
        List<String> out = new ArrayList<>();
        for (String key : List.of("erp.base-url", "wms.datasource.url", "wms.query", "store.datasource.url")) {
            if (s.find(key).isEmpty()) {
                out.add(key);
            }
        }
        if (s.find("erp.token").isEmpty() && s.find("erp.token-file").isEmpty()) {
            if (s.find("erp.username").isEmpty()) {
                out.add("erp.username (or erp.token)");
            }
            if (s.find("erp.password").isEmpty() && s.find("erp.password-file").isEmpty()) {
                out.add("erp.password (or erp.password-file, or erp.token)");
            }
        }
        return out;
    }

    /** One message an operator can act on: every missing key and the environment variable that sets it. */
    public static String message(String profile, List<String> missing) {
        StringBuilder b = new StringBuilder("erp-sync cannot start in profile '" + profile + "': missing required settings: ");
        for (int i = 0; i < missing.size(); i++) {
            String key = missing.get(i).split(" ")[0];
            b.append(i == 0 ? "" : ", ").append(missing.get(i)).append(" [env ").append(envName(key)).append("]");
        }
        return b.append(". Set them in application.properties, as -Dkey=value, or as environment variables.").toString();
    }

    public static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
