import Foundation

extension ReportParser {
    /// A web page with one report and no title line takes its title from the page's own title (`<title>`), when
    /// that names a kind of report, instead of from its first heading or its file name; the title then says it came
    /// from the page (`TitleSource.pageTitle`). Anything else is returned as it is.
    public static func titledByPage(_ reports: [ParsedReport], pageTitle: String?) -> [ParsedReport] {
        guard reports.count == 1, [.firstHeading, .fileName].contains(reports[0].titleSource),
              let pageTitle, let title = reportTitle(inPageTitle: pageTitle) else { return reports }
        var titled = reports
        titled[0].title = title
        titled[0].titleSource = .pageTitle
        return titled
    }

    /// The report's title within a page title, which sites follow with their own name ("…工作总结_某某范文网",
    /// "…工作总结 - 某某网", "…工作总结｜某某"): the first part that reads as a report's title.
    static func reportTitle(inPageTitle pageTitle: String) -> String? {
        let parts = pageTitle.components(separatedBy: CharacterSet(charactersIn: "_|｜—–")).flatMap {
            $0.components(separatedBy: " - ")
        }
        return parts.map { withoutSiteName(String(LineText.trimmed($0))) }.first(where: LineClassifier.isTitleLike)
    }

    /// What ends the name of a site or of the body that runs it, after a bare hyphen: `…工作总结-秀水县教育局`.
    static let siteNameEndings = ["局", "厅", "廳", "委", "政府", "网", "網", "网站", "網站", "门户网站", "門戶網站"]

    /// `…工作总结-秀水县教育局` → `…工作总结`: a bare hyphen (`-`, `－`) joins a site's name to a title without spaces,
    /// but also joins years (`2023-2024学年`), so the part after the last one goes only when it names a site or a body
    /// (`siteNameEndings`), or repeats the start of the title (`秀水县教育局…总结-秀水县`).
    static func withoutSiteName(_ part: String) -> String {
        guard let hyphen = part.lastIndex(where: { $0 == "-" || $0 == "－" }) else { return part }
        let head = String(LineText.trimmed(part[..<hyphen]))
        let tail = String(LineText.trimmed(part[part.index(after: hyphen)...]))
        guard !head.isEmpty, !tail.isEmpty, tail.count <= 30 else { return part }
        let namesASite = siteNameEndings.contains { tail.hasSuffix($0) } || head.hasPrefix(tail)
        return namesASite ? head : part
    }
}
