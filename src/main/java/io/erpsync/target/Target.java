package io.erpsync.target;

/**
 * A target system as the cycle knows it: its name (for logs and reasons), how it reads the state of
 * N items, writes N items with their versions, classifies a refusal, and keys lanes. docs/targets.md
 * says how a second target plugs in.
 */
public record Target(String name, StateReads reads, VersionedWrites writes, AnswerClassifier answers, LaneKeys lanes) {
}
