import HubModel
import PostgresNIO
import Supervision

/// The five models run over each accepted batch of observations inside the batch's transaction: facts gathered
/// for the whole batch (`ObservationStore.facts(for:on:)`), each observation evaluated (pure), every warning raised
/// as a city clue (`ClueStore.raise`). The observations and the warnings they cause commit together or not at
/// all, so no observation is stored without its judgement and no warning points at an observation that is not.
public struct RiskEvaluation: Sendable {
    public let models: RiskModelSet
    public let facts: ObservationStore
    public let clues: ClueStore

    public init(models: RiskModelSet, facts: ObservationStore, clues: ClueStore) {
        self.models = models
        self.facts = facts
        self.clues = clues
    }

    /// The hook `ObservationStore` calls after a batch's rows are written (its ledger entries flushed).
    public var hook: ObservationHook {
        { conn, observations in _ = try await self.run(observations, on: conn) }
    }

    /// Evaluates `observations` and raises their warnings on `conn`; returns the clue ids raised, per observation.
    @discardableResult
    public func run(_ observations: [Observation], on conn: PostgresConnection) async throws -> [[String]] {
        let facts = try await facts.facts(for: observations, on: conn)
        var raised: [[String]] = []
        for (observation, known) in zip(observations, facts) {
            let warnings = models.evaluate(observation, facts: known)
            raised.append(warnings.isEmpty ? [] : try await clues.raise(warnings, regionCode: observation.regionCode, on: conn))
        }
        return raised
    }
}
