package io.devportal.webhook.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.devportal.webhook.provider.IssuedCredential;

import java.util.Map;

/** The 200 body of create: only the issued type's fields; absent ones are omitted, never null. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"credentialType", "apiKeyId", "apiKey", "clientId", "clientSecret", "customCredentials"})
public record CreateCredentialsResponse(String credentialType, String apiKeyId, String apiKey, String clientId,
                                        String clientSecret, Map<String, String> customCredentials) {

    static CreateCredentialsResponse of(IssuedCredential issued) {
        return switch (issued.kind()) {
            case API_KEY -> new CreateCredentialsResponse(issued.kind().name(), issued.apiKeyId(), issued.apiKey(),
                    null, null, issued.custom());
            case CLIENT_CREDENTIALS -> new CreateCredentialsResponse(issued.kind().name(), null, null,
                    issued.clientId(), issued.clientSecret(), issued.custom());
        };
    }

    @Override
    public String toString() {
        return "CreateCredentialsResponse[" + credentialType + ", secrets=***]";
    }
}
