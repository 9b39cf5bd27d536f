/// A department files records only for its own implementing agencies (实施主体).
///
/// A department system signs its requests with the department's key; without this rule it could file
/// records in the name of any agency of the city, and the province would credit them to that agency.
/// The implementation code carries its agency in characters 1–18, so it is checked as well.
public enum AgencyRule {
    /// The errors of `record` (at `path`, e.g. `records[3]`) when it names an agency outside `agencies`.
    public static func check(_ record: CanonicalRecord, path: String, agencies: Set<String>, department: String) -> [FieldError] {
        var errors: [FieldError] = []
        if !agencies.contains(record.agencyCode) {
            errors.append(refusal("\(path).agency.code", agency: record.agencyCode, department: department))
        }
        if let implementation = record.item.implementationCode, implementation.utf8.count >= 18 {
            let agency = String(implementation.prefix(18))
            if agency != record.agencyCode && !agencies.contains(agency) {
                errors.append(refusal("\(path).item.implementationCode", agency: agency, department: department))
            }
        }
        return errors
    }

    static func refusal(_ path: String, agency: String, department: String) -> FieldError {
        FieldError(
            path: path,
            code: "agency_not_of_department",
            zh: "实施主体 \(agency) 不属于部门 \(department)，不能代其报送；如确属本部门，请运维人员登记（hub departments add \(department) --agency \(agency)）",
            en: "agency \(agency) is not one of department \(department)'s agencies, so its records cannot be filed with this key; "
                + "if it is, ask ops to register it (hub departments add \(department) --agency \(agency))"
        )
    }
}
