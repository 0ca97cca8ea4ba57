package io.devportal.webhook.config;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DatabaseSelectionTest {

    @ParameterizedTest
    @CsvSource({
        "jdbc:postgresql://db:5432/webhook, true",
        "jdbc:h2:file:./data/webhook, false",
        "jdbc:h2:mem:x, false",
        "jdbc:mysql://db/webhook, false"})
    void onlyAPostgresqlUrlSelectsPostgresql(String url, boolean postgres) {
        assertEquals(postgres, DatabaseSelection.isPostgres(url));
    }

    @ParameterizedTest
    @CsvSource({
        "jdbc:h2:file:data/webhook;X=1, jdbc:h2:file:./data/webhook;X=1",
        "jdbc:h2:file:./data/webhook, jdbc:h2:file:./data/webhook",
        "jdbc:h2:file:../data/webhook, jdbc:h2:file:../data/webhook",
        "jdbc:h2:file:/var/lib/webhook/db, jdbc:h2:file:/var/lib/webhook/db",
        "jdbc:h2:file:~/webhook, jdbc:h2:file:~/webhook",
        "jdbc:h2:mem:test, jdbc:h2:mem:test"})
    void aRelativeH2DataDirIsMadeExplicit(String url, String expected) {
        assertEquals(expected, DatabaseSelection.withExplicitRelativePath(url));
    }
}
