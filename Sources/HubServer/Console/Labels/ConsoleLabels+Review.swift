import Normalization

/// A candidate's strength on the review page (强 / 中 / 弱; the reason comes with `MatchStrength`).
extension MatchStrength.Level: ConsoleLabelled {
    var consoleLabel: String { label }
}
