import Foundation
import HTTPTypes
import HubModel
import HubStore
import Hummingbird

/// The review queue as a list (`/console/reviews`): its spec, filter and export. The page itself is
/// `reviewList` in `ConsoleController+Reviews`.
extension ConsoleController {
    static let reviewListSpec = ListSpec(
        path: "/console/reviews",
        columns: [
            .init("id", "编号", sortable: true, numeric: true), .init("department", "部门", sortable: true),
            .init("localCode", "本地事项", sortable: true), .init("legalBasis", "法律依据"), .init("kind", "类型"), .init("reason", "原因"),
            .init("waiting", "等待记录", sortable: true, numeric: true),
            .init("openedAt", "开始时间", sortable: true), .init("status", "状态"),
        ],
        filters: [
            .init(name: "department", label: "部门", kind: .code(maxLength: 32)),
            .init(name: "kind", label: "事项类型", kind: .oneOf(kinds.map(\.0))),
            .init(name: "status", label: "状态", kind: .oneOf(["open", "pending_approval"])),
        ],
        defaultSort: "waiting",
        defaultDescending: true,
        cursorWidth: 0,
        searchHint: "本地事项编码、名称或法律依据"
    )

    static func reviewFilter(_ q: ListQuery, user: OpsUser) -> ReviewListFilter {
        ReviewListFilter(
            status: q.filter("status"),
            department: q.filter("department"),
            recordKind: q.filter("kind"),
            search: q.search,
            scope: user.departmentScope
        )
    }

    @Sendable func reviewsExport(_ request: Request, context: ConsoleRequestContext) async throws -> Response {
        try await withListQuery(request, Self.reviewListSpec, context: context) { q in
            let rows = try await reviews.list(
                Self.reviewFilter(q, user: context.user),
                sort: ReviewListSort(rawValue: q.sort) ?? .waiting,
                descending: q.descending,
                offset: 0,
                limit: Self.reviewListSpec.exportCap
            )
            return listExport(
                context,
                Self.reviewListSpec,
                name: "reviews",
                sheet: "映射审核",
                header: ["编号", "部门", "本地事项编码", "本地事项名称", "法律依据", "类型", "原因", "等待记录", "开始时间", "状态"],
                rows: rows.map { r in
                    [
                        String(r.id), r.department, r.localCode, r.localName ?? "", r.legalBasis ?? "",
                        Self.kinds.first { $0.0 == r.recordKind }?.1 ?? r.recordKind, Self.reasons[r.reason] ?? r.reason, String(r.waiting),
                        ConsoleTime.minutes(r.openedAt), r.status == "pending_approval" ? "待审批" : "待审核",
                    ]
                }
            )
        }
    }
}
