/**
 * Adapters from the domain to AWS through the SDK v2 client interfaces.
 *
 * <p>Each adapter takes its client in the constructor, so tests and the local runtime hand in
 * in-memory implementations of the same interfaces. SDK exceptions stop here: they become the
 * named errors in {@code Rollout} (keeping the cause), which the state machine retries or catches.
 */
package dev.rollout.aws;
