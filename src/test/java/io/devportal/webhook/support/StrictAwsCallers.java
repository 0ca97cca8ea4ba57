package io.devportal.webhook.support;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The caller of each request to the strict twin ({@link StrictAws}): the Region and service of its
 * SigV4 credential scope, and the account moto puts its access key in (an access key from STS
 * AssumeRole of {@code arn:aws:iam::<account>:role/..} acts in that account). The account is learnt by
 * asking moto, as the caller, {@code sts:GetCallerIdentity} once per access key id, and remembered
 * until {@link #forget} (the twin's reset), so refreshed credentials of one role share their
 * account's state.
 */
final class StrictAwsCallers {
    /** The SigV4 credential scope: access key id / date / Region / service / aws4_request. */
    private static final Pattern SCOPE = Pattern.compile("Credential=([^/,\\s]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request");
    private static final Pattern ACCOUNT = Pattern.compile("<Account>(\\d{12})</Account>");

    private final StrictAwsMoto moto;
    /** Access key id → the account moto puts it in. */
    private final Map<String, String> accounts = new ConcurrentHashMap<>();

    StrictAwsCallers(StrictAwsMoto moto) {
        this.moto = moto;
    }

    /** The request's signer: its credential scope, and the account moto puts its access key in. */
    StrictAwsCaller of(HttpExchange exchange, String operation) throws IOException, InterruptedException {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        String amzDate = exchange.getRequestHeaders().getFirst("X-Amz-Date");
        String token = exchange.getRequestHeaders().getFirst("X-Amz-Security-Token");
        Matcher m = authorization == null ? null : SCOPE.matcher(authorization);
        if (m == null || !m.find()) {
            // unsigned: moto's defaults (its access key "AKIAEXAMPLE" is in no account but the default one)
            return new StrictAwsCaller("AKIAEXAMPLE", StrictAws.DEFAULT_REGION, "apigateway", null, amzDate, token,
                    StrictAws.DEFAULT_ACCOUNT);
        }
        StrictAwsCaller unknown = new StrictAwsCaller(m.group(1), m.group(3), m.group(4), authorization, amzDate,
                token, null);
        if (operation.equals("moto-api")) {
            return new StrictAwsCaller(unknown.accessKey(), unknown.region(), unknown.service(), authorization, amzDate,
                    token, StrictAws.DEFAULT_ACCOUNT);
        }
        String account = accounts.get(unknown.accessKey());
        if (account == null) {
            account = accountOf(unknown);
            accounts.put(unknown.accessKey(), account);
        }
        return new StrictAwsCaller(unknown.accessKey(), unknown.region(), unknown.service(), authorization, amzDate,
                token, account);
    }

    /** Forgets every access key's account. */
    void forget() {
        accounts.clear();
    }

    /** sts:GetCallerIdentity, as the caller. */
    private String accountOf(StrictAwsCaller caller) throws IOException, InterruptedException {
        StrictAwsAnswer identity = moto.sts(caller, "Action=GetCallerIdentity&Version=2011-06-15");
        Matcher m = ACCOUNT.matcher(new String(identity.body(), StandardCharsets.UTF_8));
        if (identity.status() != 200 || !m.find()) {
            throw new IllegalStateException("moto did not name the account of access key " + caller.accessKey()
                    + ": " + identity.status() + " " + new String(identity.body(), StandardCharsets.UTF_8));
        }
        return m.group(1);
    }
}
