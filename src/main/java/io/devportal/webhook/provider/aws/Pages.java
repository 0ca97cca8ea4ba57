package io.devportal.webhook.provider.aws;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Follows an AWS listing's page token (API Gateway's {@code position}, Cognito's {@code nextToken}). */
final class Pages {
    private Pages() {
    }

    /**
     * Every item of every page.
     *
     * @param fetch the page after the given token (null for the first)
     * @param items a page's items
     * @param next  a page's token for the next one; null or empty on the last
     */
    static <P, T> List<T> all(Function<String, P> fetch, Function<P, List<T>> items, Function<P, String> next) {
        List<T> all = new ArrayList<>();
        String token = null;
        do {
            P page = fetch.apply(token);
            all.addAll(items.apply(page));
            token = next.apply(page);
        } while (token != null && !token.isEmpty());
        return all;
    }
}
