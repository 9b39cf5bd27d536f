/// Marks the spans a risk model matched inside an observation's text for the console: the text escaped for HTML,
/// each matched span in `<mark>`. Spans count Unicode scalars (as `TextMatch` does); overlapping or out-of-range
/// spans are merged or clipped, so a stored warning never breaks the page.
enum EvidenceHighlight {
    static func html(_ text: String, spans: [(offset: Int, length: Int)]) -> String {
        let scalars = Array(text.unicodeScalars)
        var marked = [Bool](repeating: false, count: scalars.count)
        for span in spans where span.length > 0 {
            let start = max(0, span.offset)
            let end = min(scalars.count, span.offset + span.length)
            if start < end { for i in start..<end { marked[i] = true } }
        }
        var out = ""
        var open = false
        for (i, scalar) in scalars.enumerated() {
            if marked[i] != open {
                out += marked[i] ? "<mark>" : "</mark>"
                open = marked[i]
            }
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        if open { out += "</mark>" }
        return out
    }
}
