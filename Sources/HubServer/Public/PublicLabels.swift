import HubModel
import HubStore
import Supervision

/// Dictionary codes of a publication's fields in words for the public (检查结果 `02` → 发现问题已责令改正（02）):
/// the stored text keeps the codes, as the portals receive them; the public pages and JSON show both.
struct PublicLabels: Sendable {
    let dictionaries: NationalDictionaries

    /// Field key → the national dictionary of its codes.
    static let dictionaryOfField = [
        "category": "inspection_category", "form": "inspection_form", "result": "inspection_result", "kinds": "penalty_kind",
    ]

    func label(_ p: PublicPublication) -> PublicPublication {
        var p = p
        // A penalty's 处罚结果 is free text; only an inspection's result is a code.
        p.fields = p.fields.map { f in
            guard let dictionary = Self.dictionaryOfField[f.key], p.kind != .penalty || f.key == "kinds" else { return f }
            let words = f.value.split(separator: "、").map { code in
                dictionaries.name(dictionary, String(code)).map { "\($0)（\(code)）" } ?? String(code)
            }
            return PublishableAct.Field(f.key, f.label, words.joined(separator: "、"))
        }
        return p
    }
}
