package io.erpsync;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The packages form layers without cycles: the shared vocabulary at the bottom, the features above
 * it, the sync flow above those, operations above that, and the CLI and the wiring on top.
 */
class ArchitectureTest {
    static final JavaClasses CLASSES = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.erpsync");

    @Test
    void no_package_imports_another_that_imports_it_back() {
        slices().matching("io.erpsync.(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void every_package_stays_in_its_layer() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("vocabulary").definedBy("io.erpsync.core..")
                .layer("settings").definedBy("io.erpsync.config..")
                .layer("sources").definedBy("io.erpsync.wms..", "io.erpsync.target.fusion..", "io.erpsync.store..", "io.erpsync.breaker..")
                .layer("policies").definedBy("io.erpsync.conflict..", "io.erpsync.gate..")
                .layer("sandbox").definedBy("io.erpsync.sandbox..")
                .layer("sync").definedBy("io.erpsync.sync..")
                .layer("bills").definedBy("io.erpsync.bom..")
                .layer("operations").definedBy("io.erpsync.ops..")
                .layer("wiring").definedBy("io.erpsync")
                .whereLayer("wiring").mayNotBeAccessedByAnyLayer()
                .whereLayer("operations").mayOnlyBeAccessedByLayers("wiring")
                .whereLayer("bills").mayOnlyBeAccessedByLayers("operations", "wiring")
                .whereLayer("sync").mayOnlyBeAccessedByLayers("bills", "operations", "wiring")
                .whereLayer("policies").mayOnlyBeAccessedByLayers("sync", "bills", "operations", "wiring")
                .whereLayer("sandbox").mayOnlyBeAccessedByLayers("wiring")
                .whereLayer("sources").mayOnlyBeAccessedByLayers("policies", "sync", "bills", "operations", "wiring")
                .whereLayer("settings").mayOnlyBeAccessedByLayers("sandbox", "sync", "bills", "operations", "wiring")
                .check(CLASSES);
    }
}
