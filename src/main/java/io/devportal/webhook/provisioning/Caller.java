package io.devportal.webhook.provisioning;

import jakarta.enterprise.context.RequestScoped;

/**
 * Who asked for the current operation, for the audit trail: the portal account's label, the
 * client's address and the request id. The HTTP layer fills it for each request; work done
 * outside a request (the sweeper, the admin CLI) is audited as {@link #SYSTEM}.
 */
@RequestScoped
public class Caller {
    /** The account recorded for work that no portal request asked for. */
    public static final String SYSTEM = "system";

    private String account = SYSTEM;
    private String address;
    private String requestId;

    /** Called by the HTTP layer once the request is authenticated. */
    public void set(String account, String address, String requestId) {
        this.account = account == null ? SYSTEM : account;
        this.address = address;
        this.requestId = requestId;
    }

    /** Called by the HTTP layer before authentication: the request id and address are known already. */
    public void request(String address, String requestId) {
        this.address = address;
        this.requestId = requestId;
    }

    public String account() {
        return account;
    }

    public String address() {
        return address;
    }

    public String requestId() {
        return requestId;
    }
}
