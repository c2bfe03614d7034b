package io.erpsync;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** Every route file validates against the YAML DSL schema Camel publishes in camel-yaml-dsl (the one editors such as Kaoto use). */
class RoutesSchemaTest {
    final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());

    static JsonSchema schema() throws Exception {
        try (InputStream in = RoutesSchemaTest.class.getClassLoader().getResourceAsStream("schema/camelYamlDsl.json")) {
            assertTrue(in != null, "schema/camelYamlDsl.json is in the camel-yaml-dsl jar");
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(in);
        }
    }

    @Test
    void a_placeholder_where_the_schema_wants_a_boolean_or_a_number_is_refused() throws Exception {
        JsonNode route = yaml.readTree("""
                - route:
                    id: sync-schedule
                    autoStartup: "{{sync.schedule.enabled}}"
                    from:
                      uri: quartz:erp-sync/sync-cycle
                      steps:
                        - throttle:
                            timePeriodMillis: 1000
                            expression:
                              constant:
                                expression: "5"
                """);
        Set<ValidationMessage> problems = schema().validate(route);
        assertTrue(problems.stream().anyMatch(p -> p.getMessage().contains("autoStartup")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.getMessage().contains("timePeriodMillis")), problems.toString());
    }

    @TestFactory
    Stream<DynamicTest> every_route_file_validates_against_camels_yaml_dsl_schema() throws Exception {
        JsonSchema schema = schema();
        List<Path> files;
        try (Stream<Path> s = Files.list(Path.of("routes"))) {
            files = s.filter(p -> p.toString().endsWith(".camel.yaml")).sorted().toList();
        }
        assertFalse(files.isEmpty());
        return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            JsonNode routes = yaml.readTree(file.toFile());
            Set<ValidationMessage> problems = schema.validate(routes);
            assertTrue(problems.isEmpty(), file + " does not validate: " + problems);
        }));
    }

    /** One route (or route template, or route configuration) per file, its id the file's name (style.md). */
    @TestFactory
    Stream<DynamicTest> every_route_file_holds_one_route_whose_id_is_the_file_name() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(Path.of("routes"))) {
            files = s.filter(p -> p.toString().endsWith(".camel.yaml")).sorted().toList();
        }
        return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            JsonNode routes = yaml.readTree(file.toFile());
            String stem = file.getFileName().toString().replace(".camel.yaml", "");
            assertTrue(routes.isArray() && routes.size() == 1, file + " holds one route: " + routes.size());
            JsonNode only = routes.get(0);
            String kind = only.fieldNames().next();
            assertTrue(List.of("route", "routeTemplate", "routeConfiguration").contains(kind), file + ": a " + kind);
            assertTrue(stem.equals(only.path(kind).path("id").asText()), file + ": its id is " + only.path(kind).path("id"));
        }));
    }
}
