package io.devportal.webhook.provisioning;

import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.ledger.Ledger;
import io.devportal.webhook.ledger.Operation;
import io.devportal.webhook.model.CredentialKind;
import io.devportal.webhook.model.ResourceRef;
import io.devportal.webhook.provider.CredentialSpec;
import io.devportal.webhook.provider.IssuedCredential;
import io.devportal.webhook.provider.ResourceJournal;
import io.devportal.webhook.provider.local.LocalCredentialProvider;
import io.devportal.webhook.support.Api;
import io.devportal.webhook.support.Db;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The deletion of the keys a confirmed update took out of a credential ({@link RetiredKeysOperation},
 * run by {@link Retirement#deleteRetiredKeys}) decides under the credential's lease: a key the
 * credential lists again by then (a later update took it back) is kept; the rest is journaled, then
 * deleted. With the local provider, whose keys are disabled on removal.
 */
@QuarkusTest
class RetiredKeysTest {

    @Inject
    Ledger ledger;

    @Inject
    LocalCredentialProvider provider;

    @Inject
    Retirement retirement;

    @Inject
    Db db;

    @Test
    void aRetiredKeyTheCredentialListsAgainIsKeptAndOnlyTheOthersAreJournaledThenDeleted() {
        String keyId = Api.create(Api.createBody("Retired keys " + UUID.randomUUID(), "r@example.com",
                "[{\"id\":\"api1\"}]")).then().statusCode(200).extract().path("apiKeyId");
        CredentialRecord record = ledger.findByExternalId(CredentialKind.API_KEY, keyId).orElseThrow();
        ResourceRef listedAgain = record.resources().get(0);
        // a key an earlier update of this credential took out, which it does not list any more
        IssuedCredential taken = provider.issue(new CredentialSpec(CredentialKind.API_KEY, false, record.appId(),
                record.appName(), record.developer(), record.apis(), "an-earlier-update"), nothing());
        ResourceRef unlisted = new ResourceRef(listedAgain.type(), taken.apiKeyId(), null, "an-earlier-update");

        retirement.deleteRetiredKeys(provider, record.id(), List.of(listedAgain, unlisted));

        assertEquals("TRUE", enabled(keyId), "the key the credential lists again is kept");
        assertEquals("FALSE", enabled(taken.apiKeyId()), "the key it does not list is deleted");
        CredentialRecord after = ledger.find(record.id()).orElseThrow();
        assertEquals(CredentialRecord.Status.ACTIVE, after.status());
        assertEquals(record.resources(), after.resources(), "nothing else changed");
        List<Operation> ops = ledger.operationsOf(record.id());
        Operation deletion = ops.get(ops.size() - 1);
        assertEquals(Operation.Kind.UPDATE, deletion.kind());
        assertEquals(Operation.Status.DONE, deletion.status());
        List<ResourceRef> journaled = new ArrayList<>(record.resources());
        journaled.add(unlisted);
        assertEquals(journaled, deletion.resources(), "the credential as its lease found it, then the key to delete");
    }

    @Test
    void retiredKeysOfACredentialRevokedMeanwhileAreDeletedAsNoUpdateCanTakeThemBack() {
        String keyId = Api.create(Api.createBody("Retired keys " + UUID.randomUUID(), "s@example.com",
                "[{\"id\":\"api1\"}]")).then().statusCode(200).extract().path("apiKeyId");
        CredentialRecord record = ledger.findByExternalId(CredentialKind.API_KEY, keyId).orElseThrow();
        IssuedCredential taken = provider.issue(new CredentialSpec(CredentialKind.API_KEY, false, record.appId(),
                record.appName(), record.developer(), record.apis(), "an-earlier-update"), nothing());
        Api.revoke("{\"apiKeyId\":\"" + keyId + "\"}").then().statusCode(204);
        int rows = ledger.operationsOf(record.id()).size();

        retirement.deleteRetiredKeys(provider, record.id(), List.of(new ResourceRef(
                record.resources().get(0).type(), taken.apiKeyId(), null, "an-earlier-update")));

        assertEquals("FALSE", enabled(taken.apiKeyId()));
        assertEquals(rows, ledger.operationsOf(record.id()).size(), "no operation on a revoked credential");
    }

    private String enabled(String id) {
        return db.string("SELECT enabled FROM local_credential WHERE id = ?", id).toUpperCase(java.util.Locale.ROOT);
    }

    private static ResourceJournal nothing() {
        return new ResourceJournal() {
            @Override
            public void intend(ResourceRef planned) {
            }

            @Override
            public void created(ResourceRef made) {
            }
        };
    }
}
