/**
 * The rollout's stable error names.
 *
 * <p>The Lambda Java runtime reports a thrown exception's class name as the error that Step
 * Functions matches in {@code Retry} and {@code Catch}, so the fully qualified name of each class
 * here ({@code Rollout.AlarmTriggered}, {@code Rollout.Conflict}, ...) <em>is</em> the contract.
 * That is why this package breaks the lower-case convention: it mirrors the {@code States.*} names.
 * Renaming a class here is a breaking change for every state machine and alarm that matches it.
 */
package Rollout;
