package io.devportal.webhook.config;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Chooses the database by JDBC URL. Quarkus fixes a datasource's kind at build time, so the build
 * carries two: the default one (H2) and one named {@code postgresql}. This factory reads
 * {@code quarkus.datasource.jdbc.url} (env {@code QUARKUS_DATASOURCE_JDBC_URL}) and activates the
 * one that fits, copying URL, user and password to the PostgreSQL datasource when that is chosen.
 * With {@code webhook.ledger=dynamodb} neither is active: the service then opens no database.
 */
public class DatabaseSelection implements ConfigSourceFactory {

    public static final String POSTGRESQL = "postgresql";

    /** True when the URL names PostgreSQL; anything else runs on the embedded H2. */
    public static boolean isPostgres(String jdbcUrl) {
        return jdbcUrl != null && jdbcUrl.startsWith("jdbc:postgresql:");
    }

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue url = context.getValue("quarkus.datasource.jdbc.url");
        boolean pg = isPostgres(url == null ? null : url.getValue());
        Map<String, String> props = new HashMap<>();
        if (isDynamoDbLedger(context.getValue("webhook.ledger"))) {
            // the DynamoDB ledger needs no database (in Lambda there is none): no datasource, no migration
            props.put("quarkus.datasource.active", "false");
            props.put("quarkus.datasource.\"postgresql\".active", "false");
            return List.of(new PropertiesConfigSource(props, "webhook-database-selection", 275));
        }
        props.put("quarkus.datasource.active", Boolean.toString(!pg));
        props.put("quarkus.datasource.\"postgresql\".active", Boolean.toString(pg));
        if (!pg && url != null && url.getValue() != null) {
            String h2 = withExplicitRelativePath(url.getValue());
            if (!h2.equals(url.getValue())) {
                props.put("quarkus.datasource.jdbc.url", h2);
            }
        }
        if (pg) {
            props.put("quarkus.datasource.\"postgresql\".jdbc.url", url.getValue());
            copy(context, "quarkus.datasource.username", "quarkus.datasource.\"postgresql\".username", props);
            copy(context, "quarkus.datasource.password", "quarkus.datasource.\"postgresql\".password", props);
        }
        return List.of(new PropertiesConfigSource(props, "webhook-database-selection", 275));
    }

    /** True when {@code webhook.ledger} (env {@code WEBHOOK_LEDGER}) is {@code dynamodb}. */
    static boolean isDynamoDbLedger(ConfigValue ledger) {
        return ledger != null && ledger.getValue() != null && ledger.getValue().trim().equalsIgnoreCase("dynamodb");
    }

    /**
     * H2 refuses a file path that is implicitly relative ({@code jdbc:h2:file:data/x}); a relative
     * {@code webhook.data-dir} such as {@code data} is made {@code ./data}.
     */
    static String withExplicitRelativePath(String url) {
        String prefix = "jdbc:h2:file:";
        if (!url.startsWith(prefix)) {
            return url;
        }
        String path = url.substring(prefix.length());
        boolean explicit = path.startsWith("/") || path.startsWith("./") || path.startsWith("../")
                || path.startsWith("~") || path.matches("^[A-Za-z]:[\\\\/].*");
        return explicit ? url : prefix + "./" + path;
    }

    private static void copy(ConfigSourceContext context, String from, String to, Map<String, String> props) {
        ConfigValue value = context.getValue(from);
        if (value != null && value.getValue() != null) {
            props.put(to, value.getValue());
        }
    }
}
