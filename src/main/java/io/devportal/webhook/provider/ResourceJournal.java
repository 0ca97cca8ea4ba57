package io.devportal.webhook.provider;

import io.devportal.webhook.model.ResourceRef;

/**
 * The write-ahead journal a provider reports to. {@link #intend} is called before a resource is
 * created, {@link #created} once it exists; both are durable when they return.
 */
public interface ResourceJournal {
    void intend(ResourceRef planned);

    void created(ResourceRef resource);
}
