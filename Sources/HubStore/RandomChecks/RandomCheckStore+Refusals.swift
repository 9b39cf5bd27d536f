import HubModel

/// The random-check refusals said in more than one place.
extension StoreRefusal {
    static func noPlan(_ planId: String) -> StoreRefusal {
        StoreRefusal(.notFound, path: "planId", code: "plan_not_found", zh: "没有该抽查计划", en: "no plan \(planId)")
    }

    static func wrongStatus(_ status: String, expected: String) -> StoreRefusal {
        StoreRefusal(
            .conflict,
            path: "status",
            code: "plan_not_\(expected)",
            zh: "计划当前状态为 \(status)，此操作需要状态 \(expected)",
            en: "the plan is \(status); this needs it \(expected)"
        )
    }
}
