package io.devportal.webhook.provider.aws;

import io.devportal.webhook.model.ApiAccess;
import io.devportal.webhook.model.CredentialKind;
import io.devportal.webhook.model.Place;
import io.devportal.webhook.provider.CredentialSpec;
import io.devportal.webhook.provider.Removal;
import io.devportal.webhook.provider.ResourceJournal;
import io.devportal.webhook.model.Before;
import io.devportal.webhook.model.ResourceRef;
import io.devportal.webhook.provider.WebhookException;
import io.devportal.webhook.support.Aws;
import io.devportal.webhook.support.FaultInjector;
import io.devportal.webhook.support.FaultInjector.Fault;
import io.devportal.webhook.support.MotoResource;
import io.devportal.webhook.support.MotoServer;
import io.devportal.webhook.support.StrictAws;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.GetApiKeyResponse;
import software.amazon.awssdk.services.apigateway.model.NotFoundException;
import software.amazon.awssdk.services.apigateway.model.UsagePlan;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.OAuthFlowType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ResourceNotFoundException;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12 item 7 in the AWS provider's own classes, against moto through StrictAws: a "not found"
 * is believed only in a place proved to exist, a teardown deletes only its own operation's client,
 * a failed update restores the key's name and customerId, and a forgotten hybrid's key is found.
 */
@QuarkusTest
@WithTestResource(value = MotoResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class AwsRemovalProofTest {
    static final ApiGatewayClient APIGW = Aws.apiGateway();
    static final CognitoIdentityProviderClient COGNITO = Aws.cognito();
    static final String MISSING_POOL = "us-east-1_NoSuchPool";

    @ConfigProperty(name = "test.usage-plans", defaultValue = "unset-outside-moto-tests")
    List<String> plans;

    @ConfigProperty(name = "webhook.cognito.user-pool-id", defaultValue = "unset-outside-moto-tests")
    String pool;

    @Inject
    ApiKeys apiKeys;

    @Inject
    UpdateUndo updateUndo;

    @Inject
    AppClients appClients;

    @Inject
    ManagedLookup lookup;

    @Inject
    AwsPlaces places;

    @Inject
    FaultInjector faults;

    @Inject
    ClientBefore clientBefore;

    @BeforeEach
    @AfterEach
    void clear() {
        faults.reset();
        places.forget();
        StrictAws.reset();
    }

    @AfterAll
    static void close() {
        APIGW.close();
        COGNITO.close();
    }

    /** Records what a provider journals. */
    static final class Journal implements ResourceJournal {
        final List<ResourceRef> intended = new ArrayList<>();
        final List<ResourceRef> created = new ArrayList<>();

        @Override
        public synchronized void intend(ResourceRef planned) {
            intended.add(planned);
        }

        @Override
        public synchronized void created(ResourceRef resource) {
            created.add(resource);
        }
    }

    static String unique(String name) {
        return name + " " + UUID.randomUUID().toString().substring(0, 6);
    }

    CredentialSpec keySpec(String appId, String appName, String developer, String operationId, String... planIds) {
        return new CredentialSpec(CredentialKind.API_KEY, false, appId, appName, developer,
                List.of(new ApiAccess(MotoResource.API, List.of(planIds), List.of(), CredentialKind.API_KEY)),
                operationId);
    }

    CredentialSpec hybridSpec(String appId, String appName, String operationId) {
        return new CredentialSpec(CredentialKind.CLIENT_CREDENTIALS, true, appId, appName, "h@example.com",
                List.of(new ApiAccess(MotoResource.API, List.of(plans.get(0)), List.of("orders/read"), null)),
                operationId);
    }

    CredentialSpec clientSpec(String appId, String appName, String operationId) {
        return new CredentialSpec(CredentialKind.CLIENT_CREDENTIALS, false, appId, appName, "c@example.com",
                List.of(new ApiAccess(MotoResource.API, List.of(), List.of("orders/read"), null)), operationId);
    }

    boolean clientLive(String clientId) {
        try {
            COGNITO.describeUserPoolClient(b -> b.userPoolId(pool).clientId(clientId));
            return true;
        } catch (ResourceNotFoundException e) {
            return false;
        }
    }

    static Set<String> plansOf(String keyId) {
        return APIGW.getUsagePlans(b -> b.keyId(keyId)).items().stream().map(UsagePlan::id).collect(Collectors.toSet());
    }

    // 1. No silent 204 (issue 22: a resource is acted on where it was recorded; a row recorded before
    //    places were is never taken as gone from the configured place: these tests changed with it)

    @Test
    void aClientRecordedBeforePlacesAndNotInTheGivenPoolAnswers503SayingReconcileMustRecordItsPlace() {
        String clientId = appClients.create(clientSpec("app:" + unique("pool"), "Wrong pool", op()), new Journal())
                .ref().id();
        WebhookException e = assertThrows(WebhookException.class, () -> appClients.remove(
                new ResourceRef(AppClients.TYPE, clientId, "Wrong pool", "op"), MISSING_POOL));
        assertEquals(503, e.kind().status);
        assertEquals("unavailable", e.kind().code);
        assertEquals("app client " + clientId + " is not in target default (us-east-1), and its ledger row was "
                + "written before the webhook recorded where each resource lives: it may live where an earlier "
                + "configuration put it. Run reconcile --apply, which records the place of every resource it finds "
                + "(and reports the others as stale); nothing was changed", e.getMessage());
        assertTrue(clientLive(clientId), "the client stays live");
    }

    @Test
    void aClientGoneFromItsRecordedPlaceIsDoneAndOneRecordedBeforePlacesIs503() {
        ResourceRef made = appClients.create(clientSpec("app:" + unique("gone"), "Gone client", op()), new Journal())
                .ref();
        assertEquals(new Place(Aws.DEFAULT_ACCOUNT, "us-east-1", pool), made.place(), "the client records its place");
        COGNITO.deleteUserPoolClient(b -> b.userPoolId(pool).clientId(made.id()));
        WebhookException e = assertThrows(WebhookException.class, () -> appClients.remove(
                new ResourceRef(AppClients.TYPE, made.id(), "Gone client", "op")));
        assertEquals(503, e.kind().status, "a row before places: not found in the configured pool is not gone");
        appClients.remove(made);
        assertEquals(0, faults.calls("DescribeUserPool"), "its recorded place needs no proof");
    }

    @Test
    void anUnknownClientIdIsNotManagedOnlyOnceThePoolIsProved() {
        // the configured pool is right here; a client id that is not in it is "not managed" only after proof
        assertEquals(List.of(), lookup.managedResourcesOf(CredentialKind.CLIENT_CREDENTIALS, "nosuchclient000"));
        assertEquals(1, faults.calls("DescribeUserPool"));
    }

    @Test
    void aRegionWithoutAUsagePlanIsRefusedWith503NamingTheRegion() {
        try (ApiGatewayClient paris = ApiGatewayClient.builder().httpClient(Apache5HttpClient.create())
                .endpointOverride(URI.create(MotoServer.endpoint())).region(Region.EU_WEST_3)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .build()) {
            WebhookException e = assertThrows(WebhookException.class, () -> places.proveApiGatewayRegion(paris));
            assertEquals(503, e.kind().status);
            assertEquals("API Gateway in Region eu-west-3 has no usage plan, so no API key of this webhook can have "
                    + "been there: is the Region (or the account) wrong? Nothing was removed", e.getMessage());
        }
        places.proveApiGatewayRegion(); // the configured Region (us-east-1) holds the test's plans
    }

    @Test
    void aKeyGoneFromItsRecordedPlaceIsDoneAndOneRecordedBeforePlacesIs503() {
        ResourceRef made = apiKeys.create(keySpec("app:" + unique("k"), "Gone key", "g@example.com", op(),
                plans.get(0)), new Journal()).ref();
        assertEquals(new Place(Aws.DEFAULT_ACCOUNT, "us-east-1", null), made.place(), "the key records its place");
        APIGW.deleteApiKey(b -> b.apiKey(made.id()));
        apiKeys.remove(made, Removal.REVOKE);
        apiKeys.remove(made, Removal.DELETE);
        for (Removal mode : List.of(Removal.REVOKE, Removal.DELETE)) {
            WebhookException e = assertThrows(WebhookException.class, () -> apiKeys.remove(
                    new ResourceRef(ApiKeys.TYPE, made.id(), "Gone key", "op"), mode));
            assertEquals(503, e.kind().status, mode + " of a row before places: not found is not gone");
        }
        assertEquals(0, faults.calls("GetUsagePlans"), "no proof: the place is recorded, or nothing is believed");
    }

    // 2. A teardown deletes only what its own operation made

    @Test
    void aRollbackOfAClientWithNoJournaledIdDeletesOnlyTheClientWithItsOwnOperationMarker() {
        String appId = "app:" + unique("twins");
        String mine = op();
        Journal journal = new Journal();
        String own = appClients.create(clientSpec(appId, "Twins", mine), journal).ref().id();
        String other = appClients.create(clientSpec(appId, "Twins", op()), new Journal()).ref().id();
        // the crash came before the id was journaled: the teardown has only the intent
        ResourceRef intent = journal.intended.get(0);
        assertFalse(intent.hasId());
        appClients.remove(intent);
        assertFalse(clientLive(own), "the operation's own client is deleted");
        assertTrue(clientLive(other), "the other operation's client of the same app stays live");
    }

    @Test
    void aRollbackWithNoIdNeverDeletesClientsThatShareItsNameButNotItsOperationMarker() {
        // two clients with one name, as named before names carried an operation marker
        String name = ClientNames.name("Legacy twins", "app:" + unique("legacy"));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            ids.add(COGNITO.createUserPoolClient(b -> b.userPoolId(pool).clientName(name).generateSecret(true)
                    .allowedOAuthFlows(OAuthFlowType.CLIENT_CREDENTIALS).allowedOAuthFlowsUserPoolClient(true)
                    .allowedOAuthScopes("orders/read")).userPoolClient().clientId());
        }
        appClients.remove(new ResourceRef(AppClients.TYPE, null, name, op())
                .withPlace(new Place(Aws.DEFAULT_ACCOUNT, "us-east-1", pool)));
        assertTrue(clientLive(ids.get(0)));
        assertTrue(clientLive(ids.get(1)));
        assertEquals(0, faults.calls("DeleteUserPoolClient"));
    }

    @Test
    void anUpdateKeepsTheClientsOperationMarker() {
        String appId = "app:" + unique("marker");
        String created = op();
        String clientId = appClients.create(clientSpec(appId, "Marked", created), new Journal()).ref().id();
        appClients.converge(new ResourceRef(AppClients.TYPE, clientId, null, null), clientSpec(appId, "Renamed", op()),
                new Journal());
        String name = COGNITO.describeUserPoolClient(b -> b.userPoolId(pool).clientId(clientId)).userPoolClient()
                .clientName();
        assertEquals(ClientNames.name("Renamed", appId, created), name);
    }

    @Test
    void anUpdateJournalsTheClientsStateBeforeItChangesItAndTheRestorePutsItBack() {
        String appId = "app:" + unique("client before");
        String clientId = appClients.create(clientSpec(appId, "Before", op()), new Journal()).ref().id();
        var was = COGNITO.describeUserPoolClient(b -> b.userPoolId(pool).clientId(clientId)).userPoolClient();
        Journal update = new Journal();
        String operation = op();
        appClients.converge(new ResourceRef(AppClients.TYPE, clientId, null, null),
                clientSpec(appId, "After", operation), update);
        assertEquals(1, update.intended.size(), update.intended.toString());
        ResourceRef entry = update.intended.get(0);
        assertEquals(List.of(ClientBefore.TYPE, clientId, operation), List.of(entry.type(), entry.id(),
                entry.operationId()), "journaled before the change");
        assertEquals(pool, entry.place().userPool(), "with the client's place");
        assertEquals(new Before.Client(was.clientName(), was.allowedOAuthScopes(), ClientBefore.accessTokenMinutes(was)),
                entry.before());
        assertTrue(COGNITO.describeUserPoolClient(b -> b.userPoolId(pool).clientId(clientId)).userPoolClient()
                .clientName().startsWith("After "), "the update renamed the client");

        clientBefore.restore(update.intended.get(0));
        var now = COGNITO.describeUserPoolClient(b -> b.userPoolId(pool).clientId(clientId)).userPoolClient();
        assertEquals(was.clientName(), now.clientName());
        assertEquals(was.allowedOAuthScopes(), now.allowedOAuthScopes());
        assertEquals(ClientBefore.accessTokenMinutes(was), ClientBefore.accessTokenMinutes(now));
    }

    // 3. DELETE always deletes (revoke-mode DELETE here; DISABLE in AwsRemovalUnderDisableModeTest)

    // 4. A failed update restores name, customerId and plans

    @Test
    void anUpdateThatFailsAfterRenamingRestoresTheNameAndCustomerIdAndPlans() {
        String appId = "app:" + unique("restore");
        ResourceRef key = apiKeys.create(keySpec(appId, "Before", "before@example.com", op(), plans.get(0)),
                new Journal()).ref();
        GetApiKeyResponse was = APIGW.getApiKey(b -> b.apiKey(key.id()));
        Journal update = new Journal();
        faults.fail("CreateUsagePlanKey", Fault.SERVER_ERROR, 1);
        assertThrows(WebhookException.class, () -> apiKeys.converge(key,
                keySpec(appId, "After", "after@example.com", op(), plans.get(1)), update));
        GetApiKeyResponse mid = APIGW.getApiKey(b -> b.apiKey(key.id()));
        assertEquals("after@example.com", mid.customerId(), "the update had renamed the key before it failed");
        assertEquals(Set.of(), plansOf(key.id()), "and detached its plan");

        ResourceRef journaled = update.intended.stream().filter(r -> r.type().equals(ApiKeys.PLANS_BEFORE))
                .findFirst().orElseThrow();
        updateUndo.restore(journaled);
        GetApiKeyResponse now = APIGW.getApiKey(b -> b.apiKey(key.id()));
        assertEquals(was.name(), now.name());
        assertEquals("before@example.com", now.customerId());
        assertEquals(Set.of(plans.get(0)), plansOf(key.id()));
    }

    @Test
    void theJournalEntryIsTypedWithTheVersion1StringBesideItAndUntypedRowsStillRead() {
        ResourceRef v1 = new KeyBefore("k1", Set.of("p2", "p1"), "Kim's app, v2; beta", "kim@example.com")
                .toRef("op1", ResourceRef.DEFAULT_TARGET, null);
        // the typed entry is what this version reads; the string is for an older version after a rollback
        assertEquals(new ResourceRef(ApiKeys.PLANS_BEFORE, "k1",
                "v1;plans=p1%2Cp2;name=Kim%27s+app%2C+v2%3B+beta;customerId=kim%40example.com", "op1",
                ResourceRef.DEFAULT_TARGET, null, new Before.Key(List.of("p1", "p2"), "Kim's app, v2; beta",
                "kim@example.com")), v1);
        assertEquals(new KeyBefore("k1", Set.of("p1", "p2"), "Kim's app, v2; beta", "kim@example.com"),
                KeyBefore.from(v1).orElseThrow());
        // the typed entry decides when both are there
        ResourceRef typedOnly = new ResourceRef(ApiKeys.PLANS_BEFORE, "k1", "p9", "op1", ResourceRef.DEFAULT_TARGET,
                null, new Before.Key(List.of("p3"), null, null));
        assertEquals(new KeyBefore("k1", Set.of("p3"), null, null), KeyBefore.from(typedOnly).orElseThrow());
        // rows written before typed entries: version 1 and version 0 strings
        assertEquals(new KeyBefore("k1", Set.of("p1", "p2"), "Kim's app, v2; beta", "kim@example.com"),
                KeyBefore.from(new ResourceRef(ApiKeys.PLANS_BEFORE, "k1", v1.name(), "op1")).orElseThrow());
        assertEquals(new KeyBefore("k1", Set.of("p1", "p2"), null, null),
                KeyBefore.from(new ResourceRef(ApiKeys.PLANS_BEFORE, "k1", "p1,p2", "op1")).orElseThrow());

        String keyId = apiKeys.create(keySpec("app:" + unique("v0"), "Old row", "o@example.com", op(), plans.get(0)),
                new Journal()).ref().id();
        APIGW.deleteUsagePlanKey(b -> b.usagePlanId(plans.get(0)).keyId(keyId));
        updateUndo.restore(new ResourceRef(ApiKeys.PLANS_BEFORE, keyId, plans.get(0), "old-op"));
        assertEquals(Set.of(plans.get(0)), plansOf(keyId));
    }

    @Test
    void anUntypedVersion1RowOfTheBuildBeforeRestoresNameCustomerIdAndPlans() {
        String appId = "app:" + unique("untyped");
        ResourceRef key = apiKeys.create(keySpec(appId, "Before", "before@example.com", op(), plans.get(0)),
                new Journal()).ref();
        GetApiKeyResponse was = APIGW.getApiKey(b -> b.apiKey(key.id()));
        ResourceRef typed = new KeyBefore(key.id(), Set.of(plans.get(0)), was.name(), was.customerId())
                .toRef("old-op", key.target(), null);
        // what the build before typed entries journaled: the same string, no typed entry
        ResourceRef untyped = new ResourceRef(ApiKeys.PLANS_BEFORE, key.id(), typed.name(), "old-op", key.target());
        faults.fail("CreateUsagePlanKey", Fault.SERVER_ERROR, 1);
        assertThrows(WebhookException.class, () -> apiKeys.converge(key,
                keySpec(appId, "After", "after@example.com", op(), plans.get(1)), new Journal()));
        assertEquals("after@example.com", APIGW.getApiKey(b -> b.apiKey(key.id())).customerId());
        updateUndo.restore(untyped);
        GetApiKeyResponse now = APIGW.getApiKey(b -> b.apiKey(key.id()));
        assertEquals(was.name(), now.name());
        assertEquals("before@example.com", now.customerId());
        assertEquals(Set.of(plans.get(0)), plansOf(key.id()));
    }

    // 5. A forgotten hybrid's key is found with its client

    @Test
    void theLookupOfAForgottenHybridsClientFindsItsKeyToo() {
        String appId = "app:" + unique("hybrid");
        String operation = op();
        CredentialSpec spec = hybridSpec(appId, "Hybrid", operation);
        String clientId = appClients.create(spec, new Journal()).ref().id();
        String keyId = apiKeys.create(spec, new Journal()).ref().id();
        // another live key of the same app, from another operation, is not this hybrid's
        String otherKey = apiKeys.create(hybridSpec(appId, "Hybrid", op()), new Journal()).ref().id();

        List<ResourceRef> found = lookup.managedResourcesOf(CredentialKind.CLIENT_CREDENTIALS, clientId);
        assertEquals(List.of(AppClients.TYPE + ":" + clientId, ApiKeys.TYPE + ":" + keyId),
                found.stream().map(r -> r.type() + ":" + r.id()).toList());
        // by the key id the portal sent, too; a key of another operation is not taken
        assertEquals(2, lookup.managedResourcesOf(CredentialKind.CLIENT_CREDENTIALS, clientId, keyId).size());
        assertEquals(1, lookup.managedResourcesOf(CredentialKind.CLIENT_CREDENTIALS, clientId, otherKey).size());

        // and removing what was found leaves nothing of the hybrid live
        for (ResourceRef ref : found) {
            if (ref.type().equals(ApiKeys.TYPE)) {
                apiKeys.remove(ref, Removal.DELETE);
            } else {
                appClients.remove(ref);
            }
        }
        assertFalse(clientLive(clientId));
        assertThrows(NotFoundException.class, () -> APIGW.getApiKey(b -> b.apiKey(keyId)));
        assertTrue(APIGW.getApiKey(b -> b.apiKey(otherKey)).enabled());
    }

    @Test
    void aClientOnlyCredentialFindsNoKey() {
        String clientId = appClients.create(clientSpec("app:" + unique("solo"), "Solo", op()), new Journal())
                .ref().id();
        assertEquals(1, lookup.managedResourcesOf(CredentialKind.CLIENT_CREDENTIALS, clientId).size());
    }

    static String op() {
        return UUID.randomUUID().toString();
    }

}
