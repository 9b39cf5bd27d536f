import Foundation
import HTTPTypes
import HubModel
import HubStore
import Hummingbird
import NIOCore
import Supervision

/// 风险预警报告: a month's report per model and for the city as a page with charts, the same as a PDF, and its
/// publication (ledger `risk_report`, delivered to the province). Made from the clues the user's departments see.
extension ConsoleController {
    @Sendable func riskReport(_ request: Request, context: ConsoleRequestContext) async throws -> Response {
        let today = ClueStore.day(Date())
        guard let month = Self.reportMonth(request.uri.queryParameters.get("month"), today: today) else {
            return problem(.badRequest, "月份应为 YYYY-MM", "month is YYYY-MM", context: context)
        }
        let report = try await warningReport(month, context: context)
        let lines: [[String: Any]] =
            report.models.map {
                ["label": $0.label, "cells": ConsoleRenderer.labelled(WarningReport.cells($0), WarningReport.columns), "total": false]
            }
            + [
                [
                    "label": report.city.label, "cells": ConsoleRenderer.labelled(WarningReport.cells(report.city), WarningReport.columns),
                    "total": true,
                ]
            ]
        let chart = SVGChart.bars(
            labels: report.trendMonths.map(\.description),
            series: [.init(name: "全市预警", cssClass: "s1", values: report.trend["city"] ?? [])],
            title: "近六个月全市预警数（按月）",
            labelEvery: 1
        )
        var values: [String: Any] = [
            "month": month.description, "first": month.first.description, "last": month.last.description,
            "city": [
                "raised": report.city.raised, "fromCity": report.city.fromCity, "verified": report.city.verified, "closed": report.city.closed,
                "overdue": report.city.overdue,
            ],
            "cityRate": report.city.truePositivePercent.map { "\($0)%" } ?? "—", "columns": WarningReport.columns, "lines": lines,
            "trendChart": chart, "regions": report.byRegion.map { ["key": $0.key, "count": $0.count] }, "noRegions": report.byRegion.isEmpty,
            "industries": report.byIndustry.map { ["key": $0.key, "count": $0.count] },
            "dispositions": report.dispositions.map { ["key": WarningReport.dispositionLabel($0.key), "count": $0.count] },
            "noDispositions": report.dispositions.isEmpty,
            "canPublish": context.user.can(.approver) && context.user.departmentScope == nil,
        ]
        if let published = try await riskReports.latest(month) {
            values["published"] = [
                "version": published.version, "madeBy": published.publishedBy,
                "madeAt": ConsoleTime.minutes(Date(timeIntervalSince1970: Double(published.recordedMicros) / 1e6)),
            ]
        }
        return page("risk-report", title: "风险预警报告 \(month)", tab: "risk", values, context: context)
    }

    /// `risk/reports/2026-11.pdf`: the month's report as a printable PDF.
    @Sendable func riskReportPDF(_ request: Request, context: ConsoleRequestContext) async throws -> Response {
        let file = context.parameters.get("file") ?? ""
        guard file.hasSuffix(".pdf"), let month = ReportMonth(String(file.dropLast(4))) else {
            return problem(.notFound, "没有这份报告", "no such report", context: context)
        }
        let report = try await warningReport(month, context: context)
        let pdf = report.pdf(title: "风险预警报告 \(month)", madeAt: ConsoleTime.minutes(Date()))
        var headers = HTTPFields()
        headers[.contentType] = "application/pdf"
        headers[.contentDisposition] = "inline; filename=\"risk-report-\(month).pdf\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: pdf)))
    }

    /// Publishes the month's report (city-wide: an approver without a department scope): ledger and province.
    @Sendable func publishRiskReport(_ request: Request, context: ConsoleRequestContext) async throws -> Response {
        guard context.user.can(.approver), context.user.departmentScope == nil else {
            return problem(
                .forbidden,
                "发布全市预警报告需要不限部门的审批人或管理员角色",
                "publishing the city's report needs the approver or admin role without a department scope",
                context: context
            )
        }
        guard let month = ReportMonth(context.parameters.get("file") ?? "") else {
            return problem(.badRequest, "月份应为 YYYY-MM", "month is YYYY-MM", context: context)
        }
        let report = try await warningReport(month, context: context)
        let pdf = report.pdf(title: "风险预警报告 \(month)", madeAt: ConsoleTime.minutes(Date()))
        _ = try await riskReports.publish(report, pdf: pdf, by: context.user.username)
        return ConsoleRenderer.redirect("/console/risk/reports?month=\(month)")
    }

    func warningReport(_ month: ReportMonth, context: ConsoleRequestContext) async throws -> WarningReport {
        let from = month.adding(months: -(WarningReport.trendLength - 1)).first
        let clues = try await clues.reported(from: from, to: month.last, departments: context.user.departmentScope)
        return WarningReport(month: month, clues: clues)
    }

    /// The month asked for, or the previous month (the one a monthly report is about) when none is given.
    static func reportMonth(_ text: String?, today: CalendarDate) -> ReportMonth? {
        guard let text, !text.isEmpty else { return ReportMonth(containing: today).adding(months: -1) }
        return ReportMonth(text)
    }
}
