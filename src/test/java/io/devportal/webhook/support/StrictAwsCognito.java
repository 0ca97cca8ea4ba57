package io.devportal.webhook.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The Cognito rules the strict twin ({@link StrictAws}) enforces and moto does not: an app client's
 * scopes must be defined by a resource server of the pool (the caller's, looked up as the caller), at
 * most {@value #MAX_SCOPES} per client; UpdateUserPoolClient resets every field it is not sent.
 */
final class StrictAwsCognito {
    static final int MAX_SCOPES = 50;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The defaults real Cognito gives every field of UpdateUserPoolClient that is not sent. */
    private static final Map<String, JsonNode> CLIENT_DEFAULTS = clientDefaults();

    private final StrictAwsMoto moto;

    StrictAwsCognito(StrictAwsMoto moto) {
        this.moto = moto;
    }

    /** CreateUserPoolClient or UpdateUserPoolClient: its scopes checked; an update's unsent fields reset. */
    StrictAwsAnswer writeClient(HttpExchange exchange, String operation, byte[] body, StrictAwsCaller caller)
            throws IOException, InterruptedException {
        ObjectNode request = (ObjectNode) JSON.readTree(body);
        StrictAwsAnswer refused = refuseScopes(caller, request);
        if (refused != null) {
            return refused;
        }
        if (operation.equals("UpdateUserPoolClient")) {
            CLIENT_DEFAULTS.forEach((field, value) -> {
                if (!request.has(field)) {
                    request.set(field, value.deepCopy());
                }
            });
            body = JSON.writeValueAsBytes(request);
        }
        return moto.forward(exchange, exchange.getRequestMethod(), body);
    }

    /** Every scope must be defined by a resource server of the pool (the caller's); at most 50. */
    private StrictAwsAnswer refuseScopes(StrictAwsCaller caller, ObjectNode request)
            throws IOException, InterruptedException {
        JsonNode scopes = request.path("AllowedOAuthScopes");
        if (!scopes.isArray() || scopes.isEmpty()) {
            return null;
        }
        if (scopes.size() > MAX_SCOPES) {
            return StrictAwsAnswer.cognitoError("InvalidParameterException", "AllowedOAuthScopes: at most "
                    + MAX_SCOPES + " scopes, got " + scopes.size());
        }
        ObjectNode list = JsonNodeFactory.instance.objectNode();
        list.put("UserPoolId", request.path("UserPoolId").asText());
        list.put("MaxResults", 50);
        StrictAwsAnswer servers = moto.cognito(caller, "ListResourceServers", list);
        if (servers.status() != 200) {
            return servers;  // no such pool in the caller's account and Region: its own error
        }
        Set<String> defined = new HashSet<>();
        for (JsonNode server : JSON.readTree(servers.body()).path("ResourceServers")) {
            for (JsonNode scope : server.path("Scopes")) {
                defined.add(server.path("Identifier").asText() + "/" + scope.path("ScopeName").asText());
            }
        }
        for (JsonNode scope : scopes) {
            if (!defined.contains(scope.asText())) {
                return StrictAwsAnswer.cognitoError("ScopeDoesNotExistException",
                        "Invalid scope requested: " + scope.asText());
            }
        }
        return null;
    }

    private static Map<String, JsonNode> clientDefaults() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        Map<String, JsonNode> d = new LinkedHashMap<>();
        d.put("RefreshTokenValidity", f.numberNode(30));
        d.put("AccessTokenValidity", f.numberNode(60));
        d.put("IdTokenValidity", f.numberNode(60));
        d.put("TokenValidityUnits", f.objectNode().put("AccessToken", "minutes").put("IdToken", "minutes")
                .put("RefreshToken", "days"));
        d.put("ReadAttributes", f.arrayNode());
        d.put("WriteAttributes", f.arrayNode());
        d.put("ExplicitAuthFlows", f.arrayNode());
        d.put("SupportedIdentityProviders", f.arrayNode());
        d.put("CallbackURLs", f.arrayNode());
        d.put("LogoutURLs", f.arrayNode());
        d.put("AllowedOAuthFlows", f.arrayNode());
        d.put("AllowedOAuthScopes", f.arrayNode());
        d.put("AllowedOAuthFlowsUserPoolClient", f.booleanNode(false));
        d.put("EnableTokenRevocation", f.booleanNode(true));
        d.put("EnablePropagateAdditionalUserContextData", f.booleanNode(false));
        d.put("AuthSessionValidity", f.numberNode(3));
        return d;
    }
}
