/**
 * The local runtime: the real state machine definition, executed in-process with the real task
 * handlers against an embedded in-memory AWS on a virtual clock, so a whole rollout runs, and can be
 * watched and tested, in seconds and without an AWS account.
 */
package dev.rollout.local;
