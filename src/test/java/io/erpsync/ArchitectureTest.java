package io.erpsync;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The packages form layers without cycles: the shared vocabulary at the bottom, the features above
 * it (each feature reads its own settings record from the settings layer), the sync flow above those,
 * operations above that, and the CLI and the wiring (one configuration class per feature) on top. A
 * target system (target/fusion, the ERP) sits behind the target seam (target/): the sync flow knows
 * only the seam.
 */
class ArchitectureTest {
    static final JavaClasses CLASSES = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.erpsync");

    @Test
    void no_package_imports_another_that_imports_it_back() {
        slices().matching("io.erpsync.(*)..").should().beFreeOfCycles().check(CLASSES);
        slices().matching("io.erpsync.target.(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void the_seam_knows_no_target_and_the_cycle_knows_only_the_seam() {
        noClasses().that().resideInAPackage("io.erpsync.target").should().dependOnClassesThat().resideInAPackage("io.erpsync.target.*..")
                .check(CLASSES);
        noClasses().that().resideInAnyPackage("io.erpsync.sync..", "io.erpsync.conflict..", "io.erpsync.breaker..", "io.erpsync.store..",
                "io.erpsync.ops..").should().dependOnClassesThat().resideInAPackage("io.erpsync.target.*..").check(CLASSES);
    }

    @Test
    void every_package_stays_in_its_layer() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("vocabulary").definedBy("io.erpsync.core..")
                .layer("settings").definedBy("io.erpsync.config..")
                .layer("sources").definedBy("io.erpsync.wms..", "io.erpsync.store..", "io.erpsync.breaker..")
                .layer("seam").definedBy("io.erpsync.target")
                .layer("targets").definedBy("io.erpsync.target.*..")
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
                // the gate asks the ERP's scheduler and the BOM side writes the ERP's structures: both Fusion's own
                .whereLayer("targets").mayOnlyBeAccessedByLayers("policies", "bills", "wiring")
                .whereLayer("seam").mayOnlyBeAccessedByLayers("targets", "policies", "sync", "bills", "operations", "wiring")
                .whereLayer("sources").mayOnlyBeAccessedByLayers("seam", "targets", "policies", "sync", "bills", "operations", "wiring")
                .whereLayer("settings").mayOnlyBeAccessedByLayers("sources", "targets", "policies", "sandbox", "sync", "bills", "operations",
                        "wiring")
                .check(CLASSES);
    }
}
