/// Small inline SVG bar charts for the console (no JavaScript, no external library).
///
/// Only numbers and the caller's own fixed labels go into the markup, so the output is safe to embed
/// unescaped; labels are still escaped.
enum SVGChart {
    struct Series {
        var name: String
        var cssClass: String
        var values: [Int]
    }

    /// Grouped bars, one group per label (e.g. 24 hours), with a scale on the left.
    static func bars(labels: [String], series: [Series], width: Int = 720, height: Int = 180, title: String, labelEvery: Int = 3) -> String {
        let left = 40
        let bottom = 22
        let top = 10
        let plotW = width - left - 8
        let plotH = height - bottom - top
        // A top that divides into four whole steps, so the scale reads 0, ¼, ½, ¾, 1 without rounding.
        let peak = max(1, series.flatMap(\.values).max() ?? 1)
        let maxValue = peak <= 4 ? 4 : (peak + 3) / 4 * 4
        let groupW = Double(plotW) / Double(max(labels.count, 1))
        let barW = max(1.0, (groupW - 2) / Double(max(series.count, 1)))
        var out =
            "<svg class=\"chart\" viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-label=\"\(escape(title))\" xmlns=\"http://www.w3.org/2000/svg\">"
        out += "<title>\(escape(title))</title>"
        for step in 0...4 {
            let v = maxValue * step / 4
            let y = top + plotH - plotH * step / 4
            out += "<line class=\"grid\" x1=\"\(left)\" y1=\"\(y)\" x2=\"\(width - 8)\" y2=\"\(y)\"/>"
            out += "<text class=\"axis\" x=\"\(left - 4)\" y=\"\(y + 4)\" text-anchor=\"end\">\(v)</text>"
        }
        for (g, label) in labels.enumerated() {
            let x0 = Double(left) + Double(g) * groupW + 1
            for (s, serie) in series.enumerated() where g < serie.values.count {
                let v = serie.values[g]
                let h = Double(plotH) * Double(v) / Double(maxValue)
                let x = x0 + Double(s) * barW
                out +=
                    "<rect class=\"\(serie.cssClass)\" x=\"\(fmt(x))\" y=\"\(fmt(Double(top + plotH) - h))\" width=\"\(fmt(barW))\" height=\"\(fmt(h))\">"
                out += "<title>\(escape(label)) \(escape(serie.name)) \(v)</title></rect>"
            }
            if g % max(1, labelEvery) == 0 {
                out += "<text class=\"axis\" x=\"\(fmt(x0 + groupW / 2))\" y=\"\(height - 6)\" text-anchor=\"middle\">\(escape(label))</text>"
            }
        }
        out += "</svg>"
        return out
    }

    static func fmt(_ d: Double) -> String { String(Int((d * 10).rounded()) / 10) + "." + String(Int((d * 10).rounded()) % 10) }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
