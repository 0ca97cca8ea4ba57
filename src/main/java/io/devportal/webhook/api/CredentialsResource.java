package io.devportal.webhook.api;

import jakarta.ws.rs.NotSupportedException;
import io.devportal.webhook.provider.IssuedCredential;
import io.devportal.webhook.provider.ProviderHealth;
import io.devportal.webhook.provider.WebhookException;
import io.devportal.webhook.provisioning.CreateCommand;
import io.devportal.webhook.provisioning.CredentialService;
import io.devportal.webhook.provisioning.RevokeCommand;
import io.devportal.webhook.provisioning.UpdateCommand;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Duration;
import java.util.Locale;
import java.util.stream.Collectors;

/** The Developer Portal's webhook contract: create, update, revoke and health. */
@Path("/v1")
public class CredentialsResource {

    @Inject
    CredentialService service;

    @Inject
    RequestInfo request;

    @POST
    @Path("/createCredentials")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public CreateCredentialsResponse create(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, byte[] body) {
        CreateCommand command = RequestParser.create(checked(contentType, body));
        request.app(command.appId().replace('\n', ' '));
        IssuedCredential issued = service.create(command);
        return CreateCredentialsResponse.of(issued);
    }

    @POST
    @Path("/updateCredentials")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response update(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, byte[] body) {
        UpdateCommand command = RequestParser.update(checked(contentType, body));
        request.app(command.kind() + ":" + command.externalId());
        request.credentialType(command.kind().name());
        service.update(command);
        return Response.noContent().build();
    }

    @POST
    @Path("/revokeCredentials")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response revoke(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, byte[] body) {
        RevokeCommand command = RequestParser.revoke(checked(contentType, body));
        request.app(command.kind() + ":" + command.externalId());
        request.credentialType(command.kind().name());
        service.revoke(command);
        return Response.noContent().build();
    }

    @GET
    @Path("/health")
    @Produces(MediaType.APPLICATION_JSON)
    public Response health() {
        ProviderHealth health = service.health();
        if (health.isUp()) {
            return Response.noContent().build();
        }
        String failures = health.failures().entrySet().stream()
                .map(e -> e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining("; "));
        throw new WebhookException(WebhookException.Kind.UNAVAILABLE, "unhealthy: " + failures,
                Duration.ofSeconds(10), null);
    }

    /** A missing Content-Type is taken as JSON; another non-JSON type is refused. */
    private static byte[] checked(String contentType, byte[] body) {
        if (contentType != null && !contentType.isBlank()) {
            String type = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
            boolean json = type.equals("application/json") || (type.startsWith("application/") && type.endsWith("+json"))
                    || type.equals("text/json");
            if (!json) {
                throw new NotSupportedException();
            }
        }
        if (body != null && body.length > HttpFilters.MAX_BODY) {
            throw new WebhookException(WebhookException.Kind.PAYLOAD_TOO_LARGE,
                    "request body is too large: at most " + HttpFilters.MAX_BODY + " bytes");
        }
        return body;
    }
}
