package io.devportal.webhook.provisioning;

import io.devportal.webhook.priming.Priming;
import io.devportal.webhook.model.CredentialKind;
import io.devportal.webhook.provider.IssuedCredential;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Runs one create, one update and one revoke through the service's own path ({@link CredentialService},
 * {@link OperationRunner}, the provider, the ledger), so that their classes are loaded and their
 * code interpreted before a SnapStart snapshot. Only ever run while priming ({@link Priming}), with
 * every AWS call answered in the process (the Lambda build's hooks: {@code AwsTransport.prime}, the
 * AWS provider and the DynamoDB ledger only); while priming the service keeps no audit record and
 * counts no metric ({@link AuditTrail}, {@code metrics.Metrics}) and logs nothing ({@link Priming}).
 * The requests use fixed names; the ids they get are the generator's, which a restore reseeds.
 */
@ApplicationScoped
public class ServicePriming {
    /** The API the primed requests ask for. */
    public static final String API = "priming-api";
    static final String PLAN = "priming-plan";
    static final String OTHER_PLAN = "priming-plan-2";

    @Inject
    CredentialService service;

    /** The steps that ran to their end ({@code create}, {@code update}, {@code revoke}), and those that failed. */
    public record Result(List<String> ran, List<String> failed) {
    }

    public Result prime() {
        if (!Priming.active()) {
            throw new IllegalStateException("the service is primed only while priming (answered in the process)");
        }
        List<String> ran = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        IssuedCredential issued = step("create", ran, failed, () -> service.create(new CreateCommand("priming-app",
                "Priming app", "priming@example.invalid", List.of(new RequestedApi(API, List.of(PLAN))))));
        if (issued == null) {
            failed.add("update, revoke: not run (no primed credential)");
            return new Result(ran, failed);
        }
        CredentialKind kind = issued.kind();
        String id = kind == CredentialKind.API_KEY ? issued.apiKeyId() : issued.clientId();
        step("update", ran, failed, () -> {
            service.update(new UpdateCommand(kind, id, "Priming app 2", null,
                    List.of(new RequestedApi(API, List.of(OTHER_PLAN)))));
            return Boolean.TRUE;
        });
        step("revoke", ran, failed, () -> {
            service.revoke(new RevokeCommand(kind, id));
            return Boolean.TRUE;
        });
        return new Result(ran, failed);
    }

    private static <T> T step(String name, List<String> ran, List<String> failed, Supplier<T> call) {
        try {
            T result = call.get();
            ran.add(name);
            return result;
        } catch (RuntimeException e) {
            failed.add(name + ": " + CredentialService.describe(e)); // kind and message: never a secret
            return null;
        }
    }
}
