import HubModel
import HubStore
import Supervision

/// The JSON form of clues in the department and ops APIs (one shape for both origins).
extension StoredClue {
    /// The lifecycle members: status, department, verification, disposition, due dates and the overdue flag as of
    /// `today`. Added to the province's own clue body in `GET /api/v1/clues`.
    package func lifecycleMembers(today: CalendarDate) -> [(String, JSONValue)] {
        let s = state
        var m: [(String, JSONValue)] = [
            ("origin", .string(origin.rawValue)), ("status", .string(s.status.rawValue)), ("statusName", .string(s.status.label)),
            ("assignedDepartment", .text(s.department)), ("overdue", .bool(isOverdue(on: today))),
        ]
        if let d = s.assignedOn { m.append(("assignedOn", .string(d.description))) }
        if let d = s.verificationDue { m.append(("verificationDue", .string(d.description))) }
        if let v = s.verification { m.append(("verification", v.json)) }
        if let d = s.verifiedOn { m.append(("verifiedOn", .string(d.description))) }
        if let d = s.disposalDue { m.append(("disposalDue", .string(d.description))) }
        if let d = s.disposition { m.append(("disposition", d.json)) }
        if let d = s.disposedOn { m.append(("disposedOn", .string(d.description))) }
        if let d = s.closedOn { m.append(("closedOn", .string(d.description))) }
        if let e = escalatedAt { m.append(("escalatedAt", .string(e))) }
        if let p = duePending { m.append(("duePending", .string(p))) }
        return m
    }

    /// The whole clue: what it is about, its evidence and its lifecycle.
    package func json(today: CalendarDate) -> JSONValue {
        var m: [(String, JSONValue)] = [
            ("clueId", .string(clueId)), ("model", .string(model)),
            ("modelName", .text(RiskModelID(rawValue: model)?.label)),
            ("departments", .array(namedDepartments.map(JSONValue.string))),
            ("subject", .object([("uscc", .text(subjectUSCC)), ("name", .string(subjectName))])), ("regionCode", .text(regionCode)),
            ("industry", .text(industry)), ("summary", .string(summary)), ("receivedOn", .string(receivedOn.description)),
        ]
        switch origin {
        case .province:
            m.append(("evidence", .string(evidence["evidence"]?.stringValue ?? "")))
            if let issuedAt { m.append(("issuedAt", .string(issuedAt))) }
        case .city:
            m.append(("evidence", .string(summary)))
            m += [
                ("observation", .object([("department", .text(observationDepartment)), ("observationId", .text(observationId))])),
                ("modelVersion", .text(modelVersion)), ("reasons", evidence["reasons"] ?? .array([])),
            ]
            if let score { m.append(("score", .number(String(score)))) }
            if let threshold { m.append(("threshold", .number(String(threshold)))) }
        }
        return .object(m + lifecycleMembers(today: today))
    }
}

extension ClueDetail {
    /// The clue and its steps in order.
    package func json(today: CalendarDate) -> JSONValue {
        guard case .object(var members) = clue.json(today: today) else { return .null }
        members.append(
            (
                "steps",
                .array(
                    steps.map { s in
                        .object([
                            ("seq", .number(String(s.seq))), ("step", .string(s.step)), ("actor", .string(s.actor)),
                            ("on", .string(s.occurredOn.description)), ("ledgerSeq", .number(String(s.ledgerSeq))), ("detail", s.payload),
                        ])
                    }
                )
            )
        )
        return .object(members)
    }
}
