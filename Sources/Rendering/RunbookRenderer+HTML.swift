import PlanModel

extension RunbookRenderer {
    /// The page's style: inline, so the page loads nothing from elsewhere.
    static let style = """
        body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;background:#f6f7f9;color:#1d2330}
        header{background:#1d2330;color:#fff;padding:20px 32px}header h1{margin:0;font-size:22px}
        .summary{margin:6px 0 0;font-size:17px}.warning{background:#fff4d6;border-left:4px solid #e0a100;margin:16px 32px;padding:8px 14px}
        ol.steps{list-style:none;margin:0;padding:8px 32px 32px}
        .step{background:#fff;border:1px solid #d9dde5;border-left:6px solid #8a93a6;border-radius:6px;margin:14px 0;padding:12px 18px}
        .step.done{border-left-color:#2f9e5b}.step.pending{border-left-color:#d9822b}.step.waiting{border-left-color:#8a93a6}
        .step h2{font-size:16px;margin:0 0 6px;display:flex;gap:10px;align-items:baseline;flex-wrap:wrap}
        .number{color:#8a93a6}.kind{font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:#5b6477}
        .status{font-size:13px;font-weight:600;border-radius:10px;padding:1px 10px;background:#eceef2}
        .status.done{background:#dff3e6;color:#1f6e3f}.status.pending{background:#fbe9d7;color:#8a4b0f}
        .owner{margin:0 0 6px;color:#3b4456}ol.instructions{margin:6px 0;padding-left:22px}
        ul.evidence{margin:4px 0;padding-left:20px;color:#3b4456;font-size:14px}
        code{font:13px ui-monospace,SFMono-Regular,Menlo,monospace;background:#eef0f4;padding:1px 5px;border-radius:4px;overflow-wrap:anywhere}
        .record,.unblocks{margin:6px 0 0;font-size:14px}
        """

    /// The runbook as one self-contained HTML page: inline style, no script, nothing loaded from elsewhere (its
    /// Content-Security-Policy forbids it); every text from a bank, state or the manifest is escaped with `HTMLEscape`.
    public static func html(_ runbook: Runbook) -> String {
        let title = HTMLEscape.text(title(runbook), limit: lineLimit)
        var page = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(title)</title>
            <style>
            \(style)</style>
            </head>
            <body>
            <header><h1>\(title)</h1><p class="summary">\(runbook.summary)</p></header>

            """
        for provider in runbook.unverified {
            page += "<p class=\"warning\" role=\"note\">\(HTMLEscape.text(unverified(provider), limit: lineLimit))</p>\n"
        }
        page += "<ol class=\"steps\">\n"
        for (index, step) in runbook.steps.enumerated() {
            page += html(step, number: index + 1, environment: runbook.environment)
        }
        return page + "</ol>\n</body>\n</html>\n"
    }

    /// One step as a list item: its heading with the status, the owner, what to do, what shows the status, the record
    /// command and what it unblocks.
    static func html(_ step: RunbookStep, number: Int, environment: String?) -> String {
        let state = step.status.state.rawValue
        var item = "<li class=\"step \(state)\" data-address=\"\(HTMLEscape.text(step.address))\" data-status=\"\(state)\">\n"
        item += "<h2><span class=\"number\">\(number).</span> <code class=\"address\">\(HTMLEscape.text(step.address))</code>"
            + " <span class=\"kind\">\(step.kind.label)</span> <span class=\"status \(state)\">\(HTMLEscape.text(step.status.headline))</span></h2>\n"
        if let owner = step.owner { item += "<p class=\"owner\">Owner: \(HTMLEscape.text(owner))</p>\n" }
        item += "<ol class=\"instructions\">" + step.instructions.map { "<li>\(HTMLEscape.text($0, limit: lineLimit))</li>" }.joined() + "</ol>\n"
        let details = details(step.status)
        if !details.isEmpty {
            item += "<ul class=\"evidence\">" + details.map { "<li>\(HTMLEscape.text($0, limit: lineLimit))</li>" }.joined() + "</ul>\n"
        }
        item += "<p class=\"record\">Record: <code>\(HTMLEscape.text(step.record, limit: lineLimit))</code></p>\n"
        if let unblocks = unblocks(step, environment: environment) {
            item += "<p class=\"unblocks\">Unblocks: \(HTMLEscape.text(unblocks, limit: lineLimit))</p>\n"
        }
        return item + "</li>\n"
    }
}
