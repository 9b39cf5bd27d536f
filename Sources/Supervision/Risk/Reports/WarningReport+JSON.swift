import HubModel

extension WarningReport {
    /// The report's figures as JSON: the body of the copy delivered to the province and of the ops API.
    public var json: JSONValue {
        func line(_ l: Line) -> JSONValue {
            .object([
                ("model", .string(l.model)), ("label", .string(l.label)), ("raised", .number(String(l.raised))),
                ("fromCity", .number(String(l.fromCity))), ("verified", .number(String(l.verified))),
                ("truePositives", .number(String(l.truePositives))), ("falsePositives", .number(String(l.falsePositives))),
                ("truePositivePercent", l.truePositivePercent.map { .number(String($0)) } ?? .null),
                ("disposed", .number(String(l.disposed))), ("closed", .number(String(l.closed))), ("overdue", .number(String(l.overdue))),
            ])
        }
        func counts(_ list: [Count]) -> JSONValue {
            .array(list.map { .object([("key", .string($0.key)), ("count", .number(String($0.count)))]) })
        }
        return .object([
            ("month", .string(month.description)),
            ("models", .array(models.map(line))),
            ("city", line(city)),
            ("byRegion", counts(byRegion)),
            ("byIndustry", counts(byIndustry)),
            ("dispositions", counts(dispositions)),
            ("trendMonths", .array(trendMonths.map { .string($0.description) })),
            (
                "trend",
                .object(
                    (models.map(\.model) + ["city"]).map { key in (key, .array((trend[key] ?? []).map { .number(String($0)) })) }
                )
            ),
        ])
    }
}
