import MarginCore
import ReportParser

extension MergedReport {
    /// The merge as the body of report `id` from `source`: its title and section texts read again as one edited
    /// report (so levels and identities are those the texts give); nil while a part is left for a person.
    func body(of id: RecordID, source: ReportSource?) throws -> ReportBody? {
        guard isClean, case let .clean(title?) = title else { return nil }
        let texts = sections.compactMap { part -> String? in if case let .clean(text) = part { text } else { nil } }
        let parsed = try EditedReport.parse(EditedReport.text(title: title, sectionTexts: texts))
        return ReportBodyBuilder.body(of: parsed, id: id, source: source)
    }
}
