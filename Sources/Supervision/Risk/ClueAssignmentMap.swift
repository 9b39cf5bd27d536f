import Foundation
import HubModel

/// The default department of each model's city warnings (`Mappings/risk/assignment.csv`): data the operators
/// edit, not code, because which department handles a model is a local arrangement.
///
/// The file: `#` comment lines, then `model,department`, then one row per model. A model without a row leaves its
/// warnings pending (待分派) for ops to assign.
public struct ClueAssignmentMap: Sendable, Hashable {
    public var departments: [RiskModelID: String]

    public init(_ departments: [RiskModelID: String] = [:]) { self.departments = departments }

    public func department(for model: RiskModelID) -> String? { departments[model] }

    /// Reads the file; every problem names `file:line`.
    public static func parse(_ text: String, file: String) throws(FieldError) -> ClueAssignmentMap {
        var map: [RiskModelID: String] = [:]
        var sawHeader = false
        for (index, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            let at = "\(file):\(index + 1)"
            if !sawHeader {
                guard cells == ["model", "department"] else {
                    throw FieldError(path: at, code: "bad_header", zh: "表头应为 model,department", en: "the header must be model,department")
                }
                sawHeader = true
                continue
            }
            guard cells.count == 2, !cells[1].isEmpty else {
                throw FieldError(path: at, code: "bad_row", zh: "每行应为 模型,部门代码", en: "each row is model,department")
            }
            guard let model = RiskModelID(rawValue: cells[0]) else {
                throw FieldError(path: at, code: "unknown_model", zh: "未知模型“\(cells[0])”", en: "unknown model \"\(cells[0])\"")
            }
            guard map[model] == nil else {
                throw FieldError(path: at, code: "duplicate_model", zh: "模型“\(cells[0])”重复", en: "model \(cells[0]) is listed twice")
            }
            map[model] = cells[1]
        }
        return ClueAssignmentMap(map)
    }
}
