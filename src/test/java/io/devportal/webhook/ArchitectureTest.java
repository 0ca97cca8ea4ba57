package io.devportal.webhook;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.devportal.webhook.priming.SideEffect;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package layout the guide describes, pinned on the compiled main classes (and the Lambda glue
 * when the {@code lambda} profile compiles it): {@code api} -> {@code provisioning} -> {@code ledger}
 * and {@code provider}, which do not know each other's types; shared value types in {@code model};
 * {@code config}, {@code metrics}, {@code logging}, {@code jdbc} and {@code awssdk} beside them; no
 * cycle between packages; and priming ({@code priming.Priming}) known only to the priming code and the
 * transport that answers AWS calls in the process (what a request leaves behind is a
 * {@code priming.SideEffect}, skipped while priming by one interceptor).
 */
class ArchitectureTest {
    static final String ROOT = "io.devportal.webhook";
    static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages(ROOT);

    @Test
    void featurePackagesHaveNoCycles() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void noPackageAtAnyDepthIsInACycle() {
        // ledger and its stores (ledger.jdbc, ledger.dynamodb), provider and its implementations
        slices().matching(ROOT + ".(**)").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void layersDependOnlyDownward() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .optionalLayer("Lambda").definedBy(ROOT + ".lambda..")
                .layer("Api").definedBy(ROOT + ".api..")
                .layer("Cli").definedBy(ROOT + ".cli..")
                .layer("Provisioning").definedBy(ROOT + ".provisioning..")
                .layer("Ledger").definedBy(ROOT + ".ledger..")
                .layer("Provider").definedBy(ROOT + ".provider..")
                .layer("Metrics").definedBy(ROOT + ".metrics..")
                .layer("Logging").definedBy(ROOT + ".logging..")
                .layer("Infrastructure").definedBy(ROOT + ".jdbc..", ROOT + ".awssdk..")
                .layer("Priming").definedBy(ROOT + ".priming..")
                .layer("Config").definedBy(ROOT + ".config..")
                .layer("Model").definedBy(ROOT + ".model..")
                // the two entry points: the Lambda glue, and cli (the process's Main, and check-config's
                // check of the accounts' hashes)
                .whereLayer("Api").mayOnlyBeAccessedByLayers("Lambda", "Cli")
                .whereLayer("Cli").mayOnlyBeAccessedByLayers("Lambda")
                .whereLayer("Provisioning").mayOnlyBeAccessedByLayers("Api", "Cli", "Lambda")
                .whereLayer("Ledger").mayOnlyBeAccessedByLayers("Provisioning", "Api", "Cli", "Metrics", "Lambda")
                .whereLayer("Provider").mayOnlyBeAccessedByLayers("Provisioning", "Api", "Cli", "Lambda")
                .whereLayer("Metrics").mayOnlyAccessLayers("Ledger", "Config", "Model", "Priming")
                .whereLayer("Logging").mayOnlyAccessLayers("Config", "Model", "Priming")
                .whereLayer("Infrastructure").mayOnlyAccessLayers("Config", "Model", "Priming")
                .whereLayer("Priming").mayOnlyAccessLayers("Config", "Model")
                .whereLayer("Config").mayOnlyAccessLayers("Model")
                .whereLayer("Model").mayNotAccessAnyLayer()
                .check(MAIN);
    }

    @Test
    void ledgerAndProviderDoNotKnowEachOther() {
        noClasses().that().resideInAPackage(ROOT + ".ledger..")
                .should().dependOnClassesThat().resideInAPackage(ROOT + ".provider..").check(MAIN);
        noClasses().that().resideInAPackage(ROOT + ".provider..")
                .should().dependOnClassesThat().resideInAPackage(ROOT + ".ledger..").check(MAIN);
    }

    @Test
    void storesAndProvidersDoNotKnowTheirSiblings() {
        noClasses().that().resideInAPackage(ROOT + ".ledger.jdbc..")
                .should().dependOnClassesThat().resideInAPackage(ROOT + ".ledger.dynamodb..").check(MAIN);
        noClasses().that().resideInAPackage(ROOT + ".ledger.dynamodb..")
                .should().dependOnClassesThat().resideInAPackage(ROOT + ".ledger.jdbc..").check(MAIN);
        noClasses().that().resideInAPackage(ROOT + ".provider.aws..")
                .should().dependOnClassesThat().resideInAPackage(ROOT + ".provider.local..").check(MAIN);
        noClasses().that().resideInAPackage(ROOT + ".provider.local..")
                .should().dependOnClassesThat().resideInAPackage(ROOT + ".provider.aws..").check(MAIN);
    }

    /** The class a (nested) class is declared in at top level: AwsTransport for AwsTransport$Renewable. */
    static String topLevel(JavaClass c) {
        String name = c.getName();
        int nested = name.indexOf('$');
        return (nested < 0 ? name : name.substring(0, nested)).substring(name.lastIndexOf('.') + 1);
    }

    @Test
    void onlyThePrimingCodeAndTheTransportAskWhetherTheProcessIsPriming() {
        // the business classes mark their side effects (priming.SideEffect) and never ask
        DescribedPredicate<JavaClass> primingCode = DescribedPredicate.describe("the priming code or the transport",
                c -> c.getPackageName().equals(ROOT + ".priming") || topLevel(c).equals("AwsTransport")
                        || topLevel(c).endsWith("Priming") || topLevel(c).equals("SnapStartHooks"));
        noClasses().that(DescribedPredicate.not(primingCode))
                .should().dependOnClassesThat().haveFullyQualifiedName(ROOT + ".priming.Priming")
                .check(MAIN);
    }

    @Test
    void sideEffectsAreVoidMethodsTheContainerCanIntercept() {
        // skipped while priming by an interceptor: a value it would return does not exist (void only),
        // and ArC intercepts neither a private nor a static method
        methods().that().areAnnotatedWith(SideEffect.class)
                .should().haveRawReturnType(void.class)
                .andShould().notHaveModifier(JavaModifier.PRIVATE)
                .andShould().notHaveModifier(JavaModifier.STATIC)
                .andShould().notHaveModifier(JavaModifier.FINAL)
                .check(MAIN);
        // on a class it would also skip the class's observers and producers
        classes().that().areAnnotatedWith(SideEffect.class).should().haveSimpleName("SideEffects").check(MAIN);
    }
}
