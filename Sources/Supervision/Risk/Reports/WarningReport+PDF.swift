import HubModel

extension WarningReport {
    /// The report as a printable A4 PDF: the per-model table, the six-month trend as bars, and the month's
    /// warnings by region, industry and disposition. `madeAt` is printed as the time it was made (+08:00 text).
    public func pdf(title: String, madeAt: String) -> [UInt8] {
        var layout = PDFLayout()
        layout.heading(title, size: 18)
        layout.note("报告期：\(month.first) 至 \(month.last)　　生成时间：\(madeAt)")
        layout.gap(8)
        layout.heading("一、各模型预警与核查处置情况", size: 12)
        let widths = [118.0] + Array(repeating: 41.0, count: Self.columns.count)
        layout.table(
            header: ["模型"] + Self.columns,
            rows: models.map { [$0.label] + Self.cells($0) } + [[city.label] + Self.cells(city)],
            widths: widths
        )
        layout.gap(10)
        layout.heading("二、近六个月预警趋势（全市）", size: 12)
        let trendValues = trend["city"] ?? []
        layout.bars(labels: trendMonths.map(\.description), values: trendValues)
        layout.gap(10)
        layout.heading("三、本月预警按区域分布", size: 12)
        layout.table(header: ["行政区划代码", "预警数"], rows: byRegion.prefix(15).map { [$0.key, String($0.count)] }, widths: [200, 80])
        layout.gap(10)
        layout.heading("四、本月预警按行业分布", size: 12)
        layout.table(header: ["行业代码", "预警数"], rows: byIndustry.prefix(15).map { [$0.key, String($0.count)] }, widths: [200, 80])
        layout.gap(10)
        layout.heading("五、处置方式", size: 12)
        layout.table(
            header: ["处置方式", "件数"],
            rows: dispositions.map { [Self.dispositionLabel($0.key), String($0.count)] },
            widths: [200, 80]
        )
        return layout.finished.bytes(title: title)
    }
}

/// Lays report parts down A4 pages from the top, starting a new page when the next part does not fit.
struct PDFLayout {
    var document = PDFDocument()
    var page = PDFPage()
    var y = PDFDocument.pageHeight - margin
    var pageNumber = 1
    static let margin = 48.0
    static let left = margin
    static let right = PDFDocument.pageWidth - margin

    init() {}

    mutating func ensure(_ height: Double) {
        guard y - height < Self.margin else { return }
        finishPage()
        page = PDFPage()
        y = PDFDocument.pageHeight - Self.margin
    }

    mutating func finishPage() {
        page.text("第 \(pageNumber) 页", x: PDFDocument.pageWidth / 2 - 16, y: 24, size: 8, color: .gray)
        document.add(page)
        pageNumber += 1
    }

    /// A heading keeps room for a few lines under it, so it never ends a page alone.
    mutating func heading(_ text: String, size: Double) {
        ensure(size + 8 + 48)
        y -= size + 4
        page.text(text, x: Self.left, y: y, size: size)
        y -= 6
    }

    mutating func note(_ text: String) {
        ensure(14)
        y -= 12
        page.text(text, x: Self.left, y: y, size: 9, color: .gray)
    }

    mutating func gap(_ height: Double) { y -= height }

    mutating func table(header: [String], rows: [[String]], widths: [Double]) {
        let rowHeight = 16.0
        func row(_ cells: [String], bold: Bool) {
            ensure(rowHeight)
            if bold { page.fill(x: Self.left, y: y - rowHeight, width: widths.reduce(0, +), height: rowHeight, color: .lightGray) }
            var x = Self.left
            for (cell, width) in zip(cells, widths) {
                page.text(PDFPage.fitting(cell, width: width - 6, size: 8.5), x: x + 3, y: y - 11.5, size: 8.5)
                x += width
            }
            y -= rowHeight
            page.line(from: (Self.left, y), to: (Self.left + widths.reduce(0, +), y), width: 0.3, color: .lightGray)
        }
        row(header, bold: true)
        if rows.isEmpty {
            row(["（无）"], bold: false)
        }
        for cells in rows { row(cells, bold: false) }
    }

    mutating func bars(labels: [String], values: [Int]) {
        let height = 120.0
        ensure(height + 24)
        let top = y - 6
        let baseline = top - height
        let peak = max(1, values.max() ?? 1)
        let slot = (Self.right - Self.left) / Double(max(labels.count, 1))
        page.line(from: (Self.left, baseline), to: (Self.right, baseline), width: 0.6, color: .gray)
        for (i, label) in labels.enumerated() {
            let value = i < values.count ? values[i] : 0
            let h = (height - 14) * Double(value) / Double(peak)
            let x = Self.left + Double(i) * slot + slot * 0.2
            page.fill(x: x, y: baseline, width: slot * 0.6, height: h, color: PDFColor(0.16, 0.38, 0.7))
            page.text(String(value), x: x, y: baseline + h + 3, size: 8)
            page.text(label, x: x, y: baseline - 12, size: 8, color: .gray)
        }
        y = baseline - 18
    }
}

extension PDFLayout {
    /// Closes the last page into the document (the layout's `document` then holds every page).
    var finished: PDFDocument {
        var copy = self
        copy.finishPage()
        return copy.document
    }
}
