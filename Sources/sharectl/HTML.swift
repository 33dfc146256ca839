/// Text made safe for HTML.
enum HTML {
    /// `text` with `&`, `<`, `>`, `"` and `'` escaped: for element content and quoted attributes.
    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// JSON made safe inside a `<script>` element: `<`, `>` and `&` as `\u` escapes (they occur in
    /// JSON only inside strings), so no `</script>` or `<!--` can appear.
    static func scriptSafe(json: String) -> String {
        json.replacing("<", with: "\\u003c").replacing(">", with: "\\u003e").replacing("&", with: "\\u0026")
    }

    /// A JavaScript library made safe inside a `<script>` element; the web addresses on lines of
    /// its own in its license comments (` * https://www.chartjs.org`) are left out, so the page
    /// names no address at all (the copyright and license lines stay).
    static func scriptSafe(library: String) -> String {
        library.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { line in !(line.hasPrefix(" * http://") || line.hasPrefix(" * https://")) || line.dropFirst(3).contains(" ") }
            .joined(separator: "\n")
            .replacing("</script", with: "<\\/script").replacing("</SCRIPT", with: "<\\/SCRIPT")
    }
}
