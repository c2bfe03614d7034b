package io.erpsync.config;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.PropertiesComponent;

import java.util.Map;
import java.util.Properties;

/** Settings read from a map, as a runtime reads them from its properties: for the settings records' tests. */
public final class TestSettings {
    private TestSettings() {
    }

    public static Settings of(Map<String, String> values) {
        return new Settings(properties(values));
    }

    public static PropertiesComponent properties(Map<String, String> values) {
        CamelContext ctx = new DefaultCamelContext();
        Properties p = new Properties();
        p.putAll(values);
        ctx.getPropertiesComponent().setInitialProperties(p);
        return ctx.getPropertiesComponent();
    }
}
