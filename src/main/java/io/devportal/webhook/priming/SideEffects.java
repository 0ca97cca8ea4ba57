package io.devportal.webhook.priming;

import jakarta.annotation.Priority;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

/**
 * The one place that drops the {@link SideEffect}s while the process primes ({@link Priming}): the
 * sinks (metrics, the audit trail, the ledger gauges, the Regions and pools proven, the key-write
 * pacing) are off for the duration, and on again for the first real request. The log categories
 * are off for the same duration ({@link Priming#run}).
 */
@SideEffect
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_BEFORE)
public class SideEffects {

    @AroundInvoke
    Object offWhilePriming(InvocationContext call) throws Exception {
        return Priming.active() ? null : call.proceed();
    }
}
