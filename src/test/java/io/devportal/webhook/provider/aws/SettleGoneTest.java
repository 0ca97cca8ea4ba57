package io.devportal.webhook.provider.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.devportal.webhook.cli.Cli;
import io.devportal.webhook.ledger.AuditRecord;
import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.ledger.Lease;
import io.devportal.webhook.ledger.Operation;
import io.devportal.webhook.model.CredentialKind;
import io.devportal.webhook.model.Place;
import io.devportal.webhook.model.ResourceRef;
import io.devportal.webhook.support.Api;
import io.devportal.webhook.support.Aws;
import io.devportal.webhook.support.MotoTargetsResource;
import io.devportal.webhook.support.StrictAws;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ResourceNotFoundException;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static io.devportal.webhook.support.MotoTargetsResource.PARTNER_ACCOUNT;
import static io.devportal.webhook.support.MotoTargetsResource.PARTNER_REGION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code reconcile --apply --settle-gone} (issue 22): a ledger row written before places whose key or
 * client was deleted in AWS by hand is settled once the resource is absent from every
 * configured target that could hold it: its target's configured place is recorded, and then "not
 * found" there is gone (the revoke answers 204, the ledger says REVOKED). One found in another
 * target is recorded where it is found, never as gone; a target that cannot be read settles nothing.
 * The rows are written as the version before places wrote them (see {@link RecordedPlaceTest}).
 */
@QuarkusTest
@TestProfile(SettleGoneTest.Profile.class)
@QuarkusTestResource(value = MotoTargetsResource.class, restrictToAnnotatedClass = true)
class SettleGoneTest extends AwsTargetsFixture {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Place HOME = new Place(Aws.DEFAULT_ACCOUNT, "us-east-1", null);

    /** The class's own application. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of();
        }
    }

    @ConfigProperty(name = "test.partner-user-pool", defaultValue = "unset")
    String partnerPool;

    @Inject
    CommandLine.IFactory factory;

    record Run(int exit, JsonNode json, String err) {
        /** The findings of one credential, each as "KIND resourceId detail -> action". */
        List<String> of(String credentialId) {
            List<String> found = new ArrayList<>();
            json.path("findings").forEach(f -> {
                if (credentialId.equals(f.path("credentialId").asText())) {
                    found.add(f.path("kind").asText() + " " + f.path("resourceId").asText() + " "
                            + f.path("detail").asText() + " -> " + (f.path("action").isNull() ? "null"
                            : f.path("action").asText()));
                }
            });
            return found;
        }
    }

    Run reconcile(String... flags) {
        List<String> args = new ArrayList<>(List.of("reconcile", "--json"));
        args.addAll(List.of(flags));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Cli.execute(factory, new PrintWriter(out), new PrintWriter(err), args.toArray(String[]::new));
        try {
            return new Run(exit, out.toString().isEmpty() ? JSON.nullNode() : JSON.readTree(out.toString()),
                    err.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(out.toString(), e);
        }
    }

    /** The credential's row as the version before places wrote it (no place), under another target name if asked. */
    void beforePlaces(CredentialRecord r, UnaryOperator<ResourceRef> older) {
        Lease lease = ledger.beginOperation(Operation.Kind.UPDATE, r.id(), CredentialRecord.Status.ACTIVE,
                r.resources(), Duration.ofMinutes(1), Instant.now());
        ledger.completeUpdate(lease, r.appName(), r.developer(), r.apis(), r.scopes(),
                r.resources().stream().map(older).map(ref -> ref.withPlace(null)).toList(), Instant.now());
        assertTrue(ledger.find(r.id()).orElseThrow().resources().stream().noneMatch(ResourceRef::placeRecorded));
    }

    CredentialRecord key(String keyId) {
        return ledger.findByExternalId(CredentialKind.API_KEY, keyId).orElseThrow();
    }

    CredentialRecord client(String clientId) {
        return ledger.findByExternalId(CredentialKind.CLIENT_CREDENTIALS, clientId).orElseThrow();
    }

    /** A key of the default target, its row as the version before places wrote it, deleted in AWS by hand. */
    CredentialRecord goneKey(String name) {
        String keyId = Api.create(Api.createBody(unique(name), "s@example.com", apis(api("api1",
                List.of(plans.get(0)))))).then().statusCode(200).extract().jsonPath().getString("apiKeyId");
        CredentialRecord row = key(keyId);
        beforePlaces(row, ref -> ref);
        home.deleteApiKey(b -> b.apiKey(keyId));
        return row;
    }

    String createPartnerClient(String name) {
        return Api.create("{\"appName\":\"" + unique(name) + "\",\"developer\":\"s@example.com\","
                + "\"apis\":[{\"id\":\"partner-cc\",\"usagePlans\":[]}]}").then().statusCode(200).extract()
                .jsonPath().getString("clientId");
    }

    static boolean clientExists(CognitoIdentityProviderClient cognito, String pool, String clientId) {
        try {
            cognito.describeUserPoolClient(b -> b.userPoolId(pool).clientId(clientId));
            return true;
        } catch (ResourceNotFoundException e) {
            return false;
        }
    }

    static String notInTarget(String what, String target) {
        return what + " is not in target " + target + ", and its ledger row was written before the webhook recorded "
                + "where each resource lives: it may live where an earlier configuration put it. Run reconcile "
                + "--apply, which records the place of every resource it finds (and reports the others as stale); "
                + "nothing was changed";
    }

    List<String> audit(String credentialId) {
        return ledger.audit(new AuditRecord.Query(null, null, credentialId, 0)).stream()
                .map(a -> a.operation() + " " + a.outcome()).toList();
    }

    @Test
    void aKeyDeletedByHandWhoseRevokeAnswered503IsSettledAndItsRevokeThenAnswers204() {
        CredentialRecord row = goneKey("Settle key");
        String keyId = row.apiKeyId();

        Response before = Api.revoke("{\"apiKeyId\":\"" + keyId + "\"}");
        assertEquals(503, before.statusCode(), before.asString());
        assertEquals(notInTarget("API key " + keyId, "default (us-east-1)"), before.jsonPath().getString("message"));

        // the unfinished revoke keeps the credential out of reconcile --apply: reported nowhere, left ACTIVE
        Run apply = reconcile("--apply");
        assertEquals(List.of(), apply.of(row.id()), apply.err());
        assertEquals(CredentialRecord.Status.ACTIVE, key(keyId).status());
        assertEquals(503, Api.revoke("{\"apiKeyId\":\"" + keyId + "\"}").statusCode());

        Run settled = reconcile("--apply", "--settle-gone");
        assertEquals(List.of("UNPLACED " + keyId + " recorded before places; found in no configured place: settled as "
                + "gone from " + HOME.describe() + "; its unfinished revoke is finished there -> done"),
                settled.of(row.id()), settled.err());
        assertEquals(CredentialRecord.Status.REVOKED, key(keyId).status());
        List<Operation> ops = ledger.operationsOf(row.id());
        Operation revoke = ops.get(ops.size() - 1);
        assertEquals(Operation.Kind.REVOKE, revoke.kind());
        assertEquals(Operation.Status.DONE, revoke.status());
        assertEquals(List.of(HOME), revoke.resources().stream().map(ResourceRef::place).toList(),
                "the revoke's journal says where the key lived");

        Api.revoke("{\"apiKeyId\":\"" + keyId + "\"}").then().statusCode(204);
        assertEquals(CredentialRecord.Status.REVOKED, key(keyId).status());
        List<String> trail = audit(row.id());
        assertTrue(trail.contains("SETTLE done") && trail.contains("SWEEP done"), trail.toString());
        assertEquals("REVOKE idempotent", trail.get(trail.size() - 1), trail.toString());
    }

    @Test
    void aPartnerClientDeletedByHandWhoseRevokeAnswered503IsSettledInItsPoolAndItsRevokeThenAnswers204() {
        String clientId = createPartnerClient("Settle client");
        CredentialRecord row = client(clientId);
        beforePlaces(row, ref -> ref);
        try (CognitoIdentityProviderClient cognito = Aws.cognito(PARTNER_ACCOUNT, PARTNER_REGION)) {
            cognito.deleteUserPoolClient(b -> b.userPoolId(partnerPool).clientId(clientId));
        }
        Response before = Api.revoke("{\"clientId\":\"" + clientId + "\"}");
        assertEquals(503, before.statusCode(), before.asString());
        assertEquals(notInTarget("app client " + clientId, "partner (" + PARTNER_REGION + ")"),
                before.jsonPath().getString("message"));
        assertEquals(List.of(), reconcile("--apply").of(row.id()));
        assertEquals(CredentialRecord.Status.ACTIVE, client(clientId).status());

        Run settled = reconcile("--apply", "--settle-gone");
        Place pool = new Place(PARTNER_ACCOUNT, PARTNER_REGION, partnerPool);
        assertEquals(List.of("UNPLACED " + clientId + " recorded before places; found in no configured place: settled "
                + "as gone from " + pool.describe() + "; its unfinished revoke is finished there -> done"),
                settled.of(row.id()), settled.err());
        assertEquals(CredentialRecord.Status.REVOKED, client(clientId).status());
        Api.revoke("{\"clientId\":\"" + clientId + "\"}").then().statusCode(204);
        assertEquals(CredentialRecord.Status.REVOKED, client(clientId).status());
    }

    /** No revoke before: reconcile itself settles the stale key and retires it, as it retires any stale record. */
    @Test
    void reconcileSettleGoneRecordsTheConfiguredPlaceOfAKeyFoundNowhereAndRetiresIt() {
        CredentialRecord row = goneKey("Settle stale");
        String keyId = row.apiKeyId();

        Run report = reconcile();
        assertEquals(List.of("STALE " + keyId + " gone from its target's configured place (its place was never "
                + "recorded: a retire answers 503) -> null"), report.of(row.id()));
        Run refused = reconcile("--settle-gone");
        assertEquals(Cli.ERROR, refused.exit());
        assertEquals("error: usage: --settle-gone needs --apply (see 'java -jar quarkus-run.jar reconcile --help')\n",
                refused.err());

        Run settled = reconcile("--apply", "--settle-gone");
        assertEquals(List.of("UNPLACED " + keyId + " recorded before places; found in no configured place: settled as "
                        + "gone from " + HOME.describe() + " -> done", "STALE " + keyId + " gone -> done"),
                settled.of(row.id()), settled.err());
        assertEquals(CredentialRecord.Status.REVOKED, key(keyId).status());
        assertEquals(List.of("CREATE issued", "SETTLE done", "RETIRE done"),
                audit(row.id()).stream().filter(a -> !a.startsWith("RECONCILE")).toList());
        Api.revoke("{\"apiKeyId\":\"" + keyId + "\"}").then().statusCode(204);
    }

    /**
     * The row names the default target (as the version before targets wrote it), and the client lives
     * in the partner's pool: found there, its place is recorded there, never settled as gone from the
     * default pool (a revoke would then answer 204 and leave the client live).
     */
    @Test
    void aClientFoundInAnotherTargetsPoolIsRecordedThereNotSettledAsGone() {
        String clientId = createPartnerClient("Found elsewhere");
        CredentialRecord row = client(clientId);
        beforePlaces(row, ref -> RecordedPlaceTest.named(ref, ResourceRef.DEFAULT_TARGET));
        Place pool = new Place(PARTNER_ACCOUNT, PARTNER_REGION, partnerPool);

        Run settled = reconcile("--apply", "--settle-gone");
        assertEquals(List.of("UNPLACED " + clientId + " recorded before places; found in " + pool.describe()
                + " -> done"), settled.of(row.id()), settled.err());
        assertEquals(List.of(pool), client(clientId).resources().stream().map(ResourceRef::place).toList());
        assertEquals(CredentialRecord.Status.ACTIVE, client(clientId).status());
        assertFalse(audit(row.id()).contains("SETTLE done"), "nothing was settled: " + audit(row.id()));

        Api.revoke("{\"clientId\":\"" + clientId + "\"}").then().statusCode(204);
        try (CognitoIdentityProviderClient cognito = Aws.cognito(PARTNER_ACCOUNT, PARTNER_REGION)) {
            assertFalse(clientExists(cognito, partnerPool, clientId), "deleted where it lives");
        }
    }

    /** A target that denies the look-up, or fails, proves nothing: the row is left as it is, and reported. */
    @Test
    void aTargetThatCannotBeReadSettlesNothingAndIsReported() {
        CredentialRecord row = goneKey("Settle denied");
        String keyId = row.apiKeyId();

        String stale = "STALE " + keyId + " gone from its target's configured place, and not settled: ";
        Map<String, String> faults = new java.util.LinkedHashMap<>();
        faults.put("fault=GetApiKey@" + WEST + ":403:99", stale + "AWS denied the permission apigateway:GET (on API key "
                + keyId + ") in target west (us-west-2) with the webhook's own credentials; grant the webhook's role "
                + "deploy/iam-policy.json's statements for Region us-west-2 -> upstream_access_denied");
        faults.put("fault=GetApiKey@" + PARTNER + ":503:99", stale + "AWS is busy or unavailable (apigateway:GET on API "
                + "key " + keyId + "); retry shortly -> unavailable");
        for (Map.Entry<String, String> fault : faults.entrySet()) {
            StrictAws.configure(fault.getKey());
            Run denied;
            try {
                denied = reconcile("--apply", "--settle-gone");
            } finally {
                StrictAws.reset();
            }
            assertEquals(Cli.ERROR, denied.exit(), denied.err());
            assertEquals(List.of(fault.getValue()), denied.of(row.id()), fault.getKey());
            assertNull(key(keyId).resources().get(0).place(), "nothing recorded");
            assertEquals(CredentialRecord.Status.ACTIVE, key(keyId).status());
            assertTrue(ledger.operationsOf(row.id()).stream().noneMatch(op -> op.status() == Operation.Status.IN_PROGRESS),
                    "nothing begun");
        }
        Response revoke = Api.revoke("{\"apiKeyId\":\"" + keyId + "\"}");
        assertEquals(503, revoke.statusCode(), revoke.asString());

        // the revoke left unfinished: the same proof, or nothing of its journal is touched
        String denial = faults.keySet().iterator().next();
        StrictAws.configure(denial);
        Run pending;
        try {
            pending = reconcile("--apply", "--settle-gone");
        } finally {
            StrictAws.reset();
        }
        assertEquals(List.of(faults.get(denial)), pending.of(row.id()));
        Operation left = ledger.operationsOf(row.id()).get(ledger.operationsOf(row.id()).size() - 1);
        assertEquals(Operation.Status.IN_PROGRESS, left.status());
        assertFalse(left.resources().get(0).placeRecorded());
        assertEquals(CredentialRecord.Status.ACTIVE, key(keyId).status());

        Run settled = reconcile("--apply", "--settle-gone");
        assertEquals(List.of("UNPLACED " + keyId + " recorded before places; found in no configured place: settled as "
                + "gone from " + HOME.describe() + "; its unfinished revoke is finished there -> done"),
                settled.of(row.id()));
        assertEquals(CredentialRecord.Status.REVOKED, key(keyId).status());
    }
}
