package io.jenkins.plugins.containerbuild.engine;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The engine's package rules (STYLE_GUIDE.md, "Packages"): what each package may use. A change that breaks one
 * fails here, naming the class and the dependency.
 */
@AnalyzeClasses(
        packages = "io.jenkins.plugins.containerbuild.engine",
        importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    private static final String ENGINE = "io.jenkins.plugins.containerbuild.engine";

    @ArchTest
    static final ArchRule packagesHaveNoCycles =
            slices().matching(ENGINE + ".(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule apiIsAContractOfJdkTypes = classes()
            .that()
            .resideInAPackage(ENGINE + ".api..")
            .should()
            .onlyDependOnClassesThat()
            .resideInAnyPackage(ENGINE + ".api..", "java..")
            .because("the API is the contract: JDK types and its own types only, no implementation package");

    @ArchTest
    static final ArchRule nothingButTheCoreKnowsTheCore = noClasses()
            .that()
            .resideOutsideOfPackage(ENGINE + ".core..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage(ENGINE + ".core..")
            .because("the core wires the packages together; api finds it through META-INF/services");

    @ArchTest
    static final ArchRule dockerJavaOnlyInTheDaemonAdapter = noClasses()
            .that()
            .resideOutsideOfPackage(ENGINE + ".daemon..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("com.github.dockerjava..");

    @ArchTest
    static final ArchRule jacksonOnlyInTheJsonPackage = noClasses()
            .that()
            .resideOutsideOfPackage(ENGINE + ".json..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("com.fasterxml.jackson..");

    @ArchTest
    static final ArchRule protobufAndGrpcOnlyInBuildKitSessionAndControlApi = noClasses()
            .that()
            .resideOutsideOfPackages(ENGINE + ".buildkit..", ENGINE + ".session..", ENGINE + ".controlapi..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("com.google.protobuf..", "io.grpc..");

    @ArchTest
    static final ArchRule nettyOnlyInTheSessionAndControlApi = noClasses()
            .that()
            .resideOutsideOfPackages(ENGINE + ".session..", ENGINE + ".controlapi..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.netty..");

    @ArchTest
    static final ArchRule commonsCompressOnlyInTheContext = noClasses()
            .that()
            .resideOutsideOfPackage(ENGINE + ".context..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("org.apache.commons.compress..");

    @ArchTest
    static final ArchRule bouncyCastleOnlyForTlsAndSshKeys = noClasses()
            .that()
            .resideOutsideOfPackages(ENGINE + ".daemon..", ENGINE + ".session.sshforward..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("org.bouncycastle..");
}
