/**
 * The rollout's domain: plans, weights, alias routing, health verdicts and phases.
 *
 * <p>Nothing here talks to AWS. Time arrives as a parameter, so every rule is a pure function that
 * the table tests in {@code src/test} pin down.
 */
package dev.rollout.domain;
