package io.devportal.webhook.provider.aws;

import io.devportal.webhook.awssdk.PrimingAnswers;

/**
 * Plausible in-process answers to the API Gateway, Cognito and STS calls of a primed create, update and
 * revoke ({@code provisioning.ServicePriming}), so that the service's own logic runs to its end
 * instead of stopping at the first empty answer: a created key with an id and a (made-up) value,
 * that key as managed and enabled, in one usage plan, every usage plan serving the primed API (and
 * tagged assignable, {@link AssignablePlans}).
 * Nothing here is a real id or secret; nothing is remembered between calls.
 */
public final class AwsPrimingAnswers implements PrimingAnswers {
    /** The id of the key a primed create is answered with. */
    public static final String KEY_ID = "priming-key";
    /** The value the primed create is answered with: not a key of anything. */
    static final String KEY_VALUE = "priming-value-not-an-api-key-0000000000";
    private static final String CURRENT_PLAN = "priming-plan";
    /** sts:GetCallerIdentity's answer while priming: "priming" is not an account id (12 digits). */
    static final String CALLER_IDENTITY = "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
            + "<GetCallerIdentityResult><Arn>arn:aws:sts::priming:assumed-role/priming/priming</Arn><UserId>priming</UserId>"
            + "<Account>priming</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>priming</RequestId>"
            + "</ResponseMetadata></GetCallerIdentityResponse>";

    private final String apiId;

    private AwsPrimingAnswers(String apiId) {
        this.apiId = apiId;
    }

    /** Answers in which every usage plan serves the API {@code apiId} (the primed requests' API). */
    public static AwsPrimingAnswers forApi(String apiId) {
        return new AwsPrimingAnswers(apiId);
    }

    @Override
    public String answer(Call call) {
        if (call.target() != null) {
            return call.target().startsWith("AWSCognitoIdentityProviderService.") ? cognito(call) : null;
        }
        if (call.body().contains("Action=GetCallerIdentity")) {
            // STS (query protocol, XML): an identity whose account is no account id, so PlaceResolver keeps none
            return CALLER_IDENTITY;
        }
        String[] path = call.path().replaceFirst("^/", "").split("/");
        String method = call.method();
        if (path[0].equals("apikeys")) {
            if (path.length == 1) {
                return method.equals("POST") ? key(KEY_ID, true) : "{\"item\":[]}"; // CreateApiKey, GetApiKeys
            }
            return method.equals("DELETE") ? "{}" : key(path[1], false); // DeleteApiKey; GetApiKey, UpdateApiKey
        }
        if (path[0].equals("usageplans")) {
            if (path.length == 1) {
                // GetUsagePlans: the key's plans (by keyId), or any plan of the Region
                return "{\"item\":[" + plan(CURRENT_PLAN) + "]}";
            }
            if (path.length == 2) {
                return plan(path[1]); // GetUsagePlan
            }
            // CreateUsagePlanKey, DeleteUsagePlanKey
            return method.equals("POST") ? "{\"id\":\"" + KEY_ID + "\",\"type\":\"API_KEY\"}" : "{}";
        }
        return null;
    }

    private static String key(String id, boolean withValue) {
        return "{\"id\":\"" + json(id) + "\",\"name\":\"priming\",\"customerId\":\"priming@example.invalid\","
                + "\"enabled\":true,\"createdDate\":1767225600" + (withValue ? ",\"value\":\"" + KEY_VALUE + "\"" : "")
                + ",\"tags\":{\"" + ApiKeys.TAG_MANAGED + "\":\"true\"}}";
    }

    /** A plan serving the primed API, tagged assignable: the primed create passes assignable-plans=TAGGED too. */
    private String plan(String id) {
        return "{\"id\":\"" + json(id) + "\",\"name\":\"" + json(id) + "\",\"apiStages\":[{\"apiId\":\"" + json(apiId)
                + "\",\"stage\":\"priming\"}],\"tags\":{\"" + AssignablePlans.TAG + "\":\"true\"}}";
    }

    /** A created app client (id, made-up secret); every other Cognito call: {@code {}}. */
    private static String cognito(Call call) {
        if (call.target().endsWith(".CreateUserPoolClient")) {
            return "{\"UserPoolClient\":{\"ClientId\":\"priming-client\",\"ClientName\":\"priming\","
                    + "\"ClientSecret\":\"priming-secret-not-a-secret\",\"AllowedOAuthScopes\":[]}}";
        }
        return null;
    }

    private static String json(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
