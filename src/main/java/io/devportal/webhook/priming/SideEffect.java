package io.devportal.webhook.priming;

import jakarta.interceptor.InterceptorBinding;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks what a request leaves behind besides its answer: a meter moved, an audit record written, a
 * proof kept, a key-write slot taken. While the process primes ({@link Priming}) the call is skipped
 * ({@link SideEffects}), so that nothing the priming does is kept or seen by a real request; the
 * class that declares it never asks whether it is priming. Only on void methods of CDI beans, and
 * not private ones (ArC intercepts a bean's calls to itself too), never on a class but the
 * interceptor's own: ArchitectureTest checks these.
 */
@InterceptorBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface SideEffect {
}
