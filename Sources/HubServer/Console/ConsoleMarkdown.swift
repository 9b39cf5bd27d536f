import Foundation

/// The little Markdown the console's help page needs (docs/CONSOLE.md as HTML at `/console/help`): headings with
/// an `id` for each, paragraphs, `-` lists (continuation lines indented), pipe tables, fenced code, and inline
/// `code` and **bold**. Everything else is text. Every character from the file is escaped before any tag is
/// added, so the document can hold `<`, `&` or a Mustache brace without becoming markup.
enum ConsoleMarkdown {
    /// The document as HTML.
    static func html(_ markdown: String) -> String {
        var out: [String] = []
        var paragraph: [String] = []
        var list: [String] = []
        var table: [[String]] = []
        var code: [String]?
        func flush() {
            if !paragraph.isEmpty { out.append("<p>" + inline(paragraph.joined(separator: " ")) + "</p>") }
            if !list.isEmpty { out.append("<ul>" + list.map { "<li>" + inline($0) + "</li>" }.joined() + "</ul>") }
            if !table.isEmpty { out.append(tableHTML(table)) }
            paragraph = []
            list = []
            table = []
        }
        for raw in markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if var lines = code {
                if raw.hasPrefix("```") {
                    out.append("<pre><code>" + escape(lines.joined(separator: "\n")) + "</code></pre>")
                    code = nil
                } else {
                    lines.append(raw)
                    code = lines
                }
                continue
            }
            let line = raw.trimmingCharacters(in: .whitespaces)
            if raw.hasPrefix("```") {
                flush()
                code = []
            } else if line.isEmpty {
                flush()
            } else if let (level, text) = heading(line) {
                flush()
                out.append("<h\(level) id=\"\(escape(slug(text)))\">" + inline(text) + "</h\(level)>")
            } else if line.hasPrefix("|") {
                if !paragraph.isEmpty || !list.isEmpty { flush() }
                let cells = row(line)
                if !cells.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0 == "-" || $0 == ":" } }) { table.append(cells) }
            } else if line.hasPrefix("- ") {
                if !paragraph.isEmpty || !table.isEmpty { flush() }
                list.append(String(line.dropFirst(2)))
            } else if !list.isEmpty, raw.hasPrefix(" ") {
                list[list.count - 1] += " " + line
            } else {
                if !list.isEmpty || !table.isEmpty { flush() }
                paragraph.append(line)
            }
        }
        if let lines = code { out.append("<pre><code>" + escape(lines.joined(separator: "\n")) + "</code></pre>") }
        flush()
        return out.joined(separator: "\n")
    }

    /// The `id` of a heading, as GitHub makes it: lower case, letters (Chinese included), digits, `-` and `_`
    /// kept, spaces turned into `-`, everything else dropped — so `#…` links work on GitHub too.
    static func slug(_ heading: String) -> String {
        String(
            heading.lowercased().compactMap { c -> Character? in
                if c == " " { return "-" }
                return c.isLetter || c.isNumber || c == "-" || c == "_" ? c : nil
            }
        )
    }

    /// Every heading's `id`, in order (what the help page's anchors are).
    static func anchors(_ markdown: String) -> [String] {
        markdown.split(separator: "\n").compactMap { heading(String($0)).map { slug($0.text) } }
    }

    static func heading(_ line: String) -> (level: Int, text: String)? {
        let hashes = line.prefix { $0 == "#" }.count
        guard (1...4).contains(hashes), line.dropFirst(hashes).first == " " else { return nil }
        return (hashes, line.dropFirst(hashes + 1).trimmingCharacters(in: .whitespaces))
    }

    /// A table row's cells; a `|` inside `code` (`export.csv|xlsx`) is part of its cell.
    static func row(_ line: String) -> [String] {
        var cells: [String] = [""]
        var inCode = false
        for c in line {
            if c == "`" { inCode.toggle() }
            if c == "|" && !inCode { cells.append("") } else { cells[cells.count - 1].append(c) }
        }
        cells = cells.map { $0.trimmingCharacters(in: .whitespaces) }
        if cells.first == "" { cells.removeFirst() }
        if cells.last == "" { cells.removeLast() }
        return cells
    }

    static func tableHTML(_ rows: [[String]]) -> String {
        guard let head = rows.first else { return "" }
        let header = "<thead><tr>" + head.map { "<th>" + inline($0) + "</th>" }.joined() + "</tr></thead>"
        let body = rows.dropFirst().map { cells in
            "<tr>"
                + cells.enumerated().map { i, cell in
                    "<td data-label=\"\(escape(i < head.count ? head[i] : ""))\">" + inline(cell) + "</td>"
                }.joined() + "</tr>"
        }.joined()
        return "<div class=\"scroll\"><table class=\"list\">" + header + "<tbody>" + body + "</tbody></table></div>"
    }

    /// `code` and **bold** inside escaped text; a marker without its partner stays as typed.
    static func inline(_ text: String) -> String {
        var out = ""
        var rest = Substring(text)
        while let tick = rest.firstIndex(of: "`") {
            out += bold(String(rest[..<tick]))
            let after = rest[rest.index(after: tick)...]
            guard let close = after.firstIndex(of: "`") else {
                rest = rest[tick...]
                break
            }
            out += "<code>" + escape(String(after[..<close])) + "</code>"
            rest = after[after.index(after: close)...]
        }
        return out + bold(String(rest))
    }

    static func bold(_ text: String) -> String {
        let parts = text.components(separatedBy: "**")
        guard parts.count >= 3 else { return escape(text) }
        return parts.enumerated().map { i, part in
            // An odd part is inside a pair; a last odd part has no closing marker.
            i % 2 == 1 && i < parts.count - 1 ? "<strong>" + escape(part) + "</strong>" : (i % 2 == 1 ? "**" : "") + escape(part)
        }.joined()
    }

    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "{": out += "&#123;"
            case "}": out += "&#125;"
            default: out.append(c)
            }
        }
        return out
    }
}
