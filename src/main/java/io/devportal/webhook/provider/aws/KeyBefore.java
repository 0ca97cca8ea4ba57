package io.devportal.webhook.provider.aws;

import io.devportal.webhook.model.Before;
import io.devportal.webhook.model.Place;
import io.devportal.webhook.model.ResourceRef;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What an update journals about an API key before it changes anything: the key's usage plans, name
 * and customerId then, so that a failed update ({@link ApiKeys#restore}) puts all three back.
 *
 * <p>It travels as a {@link ResourceRef} of type {@link ApiKeys#PLANS_BEFORE}: {@code id} is the key,
 * {@code operationId} the update, and {@code before} the typed entry ({@link Before.Key}, {@code
 * "key/1"}), which is what this version reads. Rows written before typed entries have none: their
 * {@code name} holds the entry as a string. This version still writes that string beside the typed
 * entry, for an older version reading the row after a rollback (it ignores {@code before}; a row
 * without the string would read to it as "no plans" and its restore would detach every plan). The
 * string has one of two formats:</p>
 * <ul>
 *   <li><b>version 1</b> (written now): {@code v1;plans=<p>;name=<n>;customerId=<c>}, each value
 *   URL-encoded in UTF-8 (so it holds no raw {@code ,} or {@code ;}); {@code <p>} is the encoding of
 *   the plan ids joined by commas, sorted; a field that was absent (no customerId) is left out.</li>
 *   <li><b>version 0</b> (journal rows written before version 1): the plan ids joined by commas,
 *   nothing else; name and customerId are then unknown (null) and restore leaves them as they are.</li>
 * </ul>
 * A plan id never contains {@code ;}, so the {@code v1;} prefix cannot be mistaken for a version 0
 * row. Version 1 has no raw comma, so an older webhook that splits the name by commas restores
 * nothing wrong from it (one plan id that does not exist is refused by API Gateway).
 *
 * @param name       the key's name then, or null when unknown (version 0)
 * @param customerId the key's customerId then; null when unknown or absent
 */
record KeyBefore(String keyId, Set<String> plans, String name, String customerId) {
    static final String V1 = "v1;";

    KeyBefore {
        plans = Set.copyOf(plans);
    }

    /** The typed entry. */
    Before.Key typed() {
        return new Before.Key(List.copyOf(new TreeSet<>(plans)), name, customerId);
    }

    /** The journal entry: the typed entry, and the version 1 string for an older reader. */
    ResourceRef toRef(String operationId, String target, Place place) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("plans", String.join(",", new TreeSet<>(plans)));
        if (name != null) {
            fields.put("name", name);
        }
        if (customerId != null) {
            fields.put("customerId", customerId);
        }
        StringBuilder encoded = new StringBuilder(V1);
        fields.forEach((k, v) -> {
            if (encoded.length() > V1.length()) {
                encoded.append(';');
            }
            encoded.append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        });
        return new ResourceRef(ApiKeys.PLANS_BEFORE, keyId, encoded.toString(), operationId, target, place, typed());
    }

    /**
     * The entry a journaled ref holds: its typed entry when it has one, else its string (either
     * version, a row written before typed entries); empty for a ref of another type.
     */
    static Optional<KeyBefore> from(ResourceRef ref) {
        if (!ApiKeys.PLANS_BEFORE.equals(ref.type())) {
            return Optional.empty();
        }
        if (ref.before() instanceof Before.Key key) {
            return Optional.of(new KeyBefore(ref.id(), Set.copyOf(key.plans()), key.name(), key.customerId()));
        }
        return Optional.of(decode(ref.id(), ref.name()));
    }

    static KeyBefore decode(String keyId, String packed) {
        if (packed == null || packed.isEmpty()) {
            return new KeyBefore(keyId, Set.of(), null, null);
        }
        if (!packed.startsWith(V1)) {
            return new KeyBefore(keyId, new TreeSet<>(List.of(packed.split(","))), null, null);
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (String field : packed.substring(V1.length()).split(";")) {
            int eq = field.indexOf('=');
            if (eq > 0) {
                fields.put(field.substring(0, eq), URLDecoder.decode(field.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        String plans = fields.getOrDefault("plans", "");
        return new KeyBefore(keyId, plans.isEmpty() ? Set.of() : new TreeSet<>(List.of(plans.split(","))),
                fields.get("name"), fields.get("customerId"));
    }
}
