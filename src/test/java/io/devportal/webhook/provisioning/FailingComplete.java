package io.devportal.webhook.provisioning;

import org.h2.api.Trigger;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;

/**
 * An H2 trigger that refuses a credential row update carrying {@link #MARKER} (a completion that
 * fails after AWS was changed: its outcome is in doubt, so it is handed to the sweeper). Installed
 * by {@link #install}.
 */
public class FailingComplete implements Trigger {
    static final String MARKER = "fail-complete";

    static String install() {
        return "CREATE TRIGGER IF NOT EXISTS fail_complete BEFORE UPDATE ON credential FOR EACH ROW CALL '"
                + FailingComplete.class.getName() + "'";
    }

    @Override
    public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
        if (newRow != null && Arrays.stream(newRow).anyMatch(v -> v != null && String.valueOf(v).contains(MARKER))) {
            throw new SQLException("test: the completion failed");
        }
    }
}
