package io.devportal.webhook.priming;

import org.jboss.logmanager.LogContext;
import org.jboss.logmanager.Logger;

import java.util.List;
import java.util.logging.Level;

/**
 * Whether the process is priming (the Lambda build's SnapStart hook, before the snapshot): while
 * it is, AWS calls are answered in the process ({@code awssdk.AwsTransport}) and nothing the
 * priming does is kept or seen by a real request. The business classes do not ask: what they leave
 * behind is marked {@link SideEffect} (the meters and the EMF lines, the audit record, the ledger
 * gauges' reading, the Regions and pools proven, the key-write pacing) and {@link SideEffects} drops
 * it for the duration; and the service's own log categories ({@link #SILENCED}) are off, so that a
 * primed create, update or revoke ({@code provisioning.ServicePriming}), or the primed HTTP request,
 * writes no line (issued, revoked, a warning on the way, the request line). The priming says what
 * failed in one line once it is over (the Lambda build's hooks). Priming runs in the init phase,
 * before the snapshot, when no request is served: a line another thread logs under those categories
 * in that window is lost too. Only the priming code and the transport read {@link #active()}
 * (ArchitectureTest).
 */
public final class Priming {
    /** The categories the service logs under: its classes, and the audit trail. */
    static final List<String> SILENCED = List.of("io.devportal.webhook", "audit");

    private static volatile boolean active;

    private Priming() {
    }

    public static boolean active() {
        return active;
    }

    /** Runs the work as priming, with the service's log categories off; one at a time. */
    public static synchronized void run(Runnable work) {
        List<Logger> loggers = SILENCED.stream().map(name -> LogContext.getLogContext().getLogger(name)).toList();
        List<Level> levels = loggers.stream().map(Logger::getLevel).toList();
        loggers.forEach(l -> l.setLevel(Level.OFF));
        active = true;
        try {
            work.run();
        } finally {
            active = false;
            for (int i = 0; i < loggers.size(); i++) {
                loggers.get(i).setLevel(levels.get(i)); // null again where it was inherited
            }
        }
    }
}
