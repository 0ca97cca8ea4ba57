package io.devportal.webhook.support;

import io.devportal.webhook.config.WebhookConfig;

import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link WebhookConfig} for plain unit tests: the given values by property name, defaults for
 * groups and maps, empty for everything optional.
 */
public final class ConfigStub {
    private ConfigStub() {
    }

    @SuppressWarnings("unchecked")
    public static <T> T of(Class<T> type, Map<String, Object> values) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            String name = method.getName();
            if (values.containsKey(name)) {
                Object value = values.get(name);
                return method.getReturnType() == Optional.class && !(value instanceof Optional) ? Optional.of(value) : value;
            }
            if (method.getReturnType() == Optional.class) {
                return Optional.empty();
            }
            if (method.getReturnType() == Map.class) {
                return Map.of();
            }
            if (method.getReturnType().isInterface()) {
                return of(method.getReturnType(), Map.of());
            }
            if (name.equals("toString")) {
                return "ConfigStub";
            }
            throw new UnsupportedOperationException(type.getSimpleName() + "." + name + " is not stubbed");
        });
    }

    public static WebhookConfig webhook(Map<String, Object> values) {
        return of(WebhookConfig.class, values);
    }
}
