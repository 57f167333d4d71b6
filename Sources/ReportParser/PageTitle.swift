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
        return parts.map { String(LineText.trimmed($0)) }.first(where: LineClassifier.isTitleLike)
    }
}
