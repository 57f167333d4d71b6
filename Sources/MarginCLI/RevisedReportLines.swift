import MarginStore

/// What `import` and `edit` print about a report whose text they changed.
enum RevisedReportLines {
    /// A line saying what an import did with edits made to the report since `file` was last imported.
    static func printLaterEdits(of report: ImportedReport, file: String) {
        switch report.laterEdits {
        case .kept?:
            Console.current.print(
                "  \(report.reference): edited since \(file) was last imported, and the file has no change of its own, "
                    + "so nothing was written and the edits stand (--replace writes the file's text over them)")
        case .merged?:
            Console.current.print(
                "  \(report.reference): the file's changes were merged with the edits made since it was last imported")
        case nil:
            break
        }
    }

    /// A line per annotation whose anchor the new text moved, orphaned or restored.
    static func printAnnotationChanges(of report: ImportedReport) {
        let console = Console.current
        for moved in report.annotations {
            let quote = moved.quote.map { " “\(Formatting.clip($0, 30))”" } ?? ""
            switch moved.change {
            case .reanchored:
                if let section = moved.sectionReference {
                    console.print("  \(report.reference): annotation \(moved.reference)\(quote) followed its quote to \(section) (\(moved.placement))")
                } else {
                    console.print("  \(report.reference): annotation \(moved.reference)\(quote) re-anchored (\(moved.placement))")
                }
            case .restored:
                console.print("  \(report.reference): annotation \(moved.reference)\(quote) is anchored again (\(moved.placement))")
            case .orphaned:
                console.print(
                    "  \(report.reference): annotation \(moved.reference)\(quote) orphaned: its quote is no longer in the text; "
                        + "re-attach it with margin annotate --reanchor \(moved.reference) --quote \"…\"")
            }
        }
    }

    /// A line per report an earlier import of the same file made that this one did not match: a report whose title
    /// changed was imported as a new report; removing that one and importing with `--as` makes the text the old
    /// one's revision (its notes re-anchor on it).
    static func printEarlierReports(of summary: ImportSummary) {
        let created = summary.reports.filter { $0.outcome == .created }
        guard !summary.earlierReports.isEmpty, !created.isEmpty else { return }
        let new = created.map(\.reference).joined(separator: ", ")
        for earlier in summary.earlierReports {
            let fix = created.count == 1
                ? "if \(new) is its new version, run margin remove \(new), then margin import \(summary.file) --as \(earlier.reference)"
                : "to make a one-report file its next revision, run margin import FILE --as \(earlier.reference) "
                    + "(and margin remove the report this import made for it)"
            Console.current.print(
                "  \(earlier.reference) “\(Formatting.clip(earlier.title, 30))” came from \(summary.file) before and was not matched "
                    + "(a report whose title changed is a new report: \(new)); " + fix)
        }
    }
}
