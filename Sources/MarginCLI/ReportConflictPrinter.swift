import MarginCore
import MarginStore

/// How `margin conflicts` and `margin resolve --edit` show a report edited on two peers.
enum ReportConflictPrinter {
    /// What is in conflict, in a few words: `annotation 1a2b on 3f9a/2.1 二、…` or `report 3f9a “title”`.
    static func subject(_ conflict: ConflictView) -> String {
        conflict.kind == .report
            ? "report \(conflict.shortID) “\(Formatting.clip(conflict.reportTitle, 40))”"
            : "annotation \(conflict.shortID) on \(conflict.section ?? "(section gone)") \(conflict.heading)"
    }

    /// The conflict's lines: each side with what it changed, whether the sides merge by themselves, and how to
    /// settle it.
    static func print(_ conflict: ConflictView, merged: MergedReport?) {
        let console = Console.current
        console.print("report \(conflict.shortID)  \(conflict.reportTitle)  — edited on \(conflict.sides.count) peers")
        if let base = conflict.base {
            console.print("  base      \(base.author), \(Formatting.time(base.createdAt))")
        }
        for side in conflict.sides {
            let shown = side.revision == conflict.shown ? " (shown)" : ""
            let what = side.deleted ? "removed the report" : changes(side)
            console.print("  \(side.shortRevision)  \(side.author), \(Formatting.time(side.createdAt))\(shown): \(what)")
        }
        if let merged {
            console.print(merged.isClean
                ? "  the changes do not clash: margin resolve \(conflict.shortID) --merge keeps every change"
                : "  \(merged.conflictCount) \(merged.conflictCount == 1 ? "part clashes" : "parts clash") (changed on two sides in one sentence, or in two next to each other): merge by hand with margin resolve \(conflict.shortID) --edit")
        }
        console.print("  resolve: margin resolve \(conflict.shortID) --keep REVISION | --merge | --edit")
        console.print("")
    }

    private static func changes(_ side: ConflictSide) -> String {
        guard let changed = side.changed else { return "no common version to compare with" }
        return changed.isEmpty ? "no change to the text" : "changed " + changed.joined(separator: "; ")
    }

    /// The merge as `resolve --edit` opens it: the title line, then the sections, blank lines between; where sides
    /// clash, each side's version (and the base's) between git-style markers.
    static func editableText(_ merged: MergedReport, _ conflict: ConflictView) -> String {
        let labels = conflict.sides.filter { !$0.deleted }.map { "\($0.shortRevision) (\($0.author))" }
        func block(_ part: MergedReport.Part) -> String? {
            switch part {
            case let .clean(text): return text
            case let .conflict(base, sides):
                var lines = ["<<<<<<< " + (labels.first ?? "shown"), sides.first.flatMap { $0 } ?? ""]
                lines += ["||||||| base", base ?? ""]
                for (index, side) in sides.enumerated().dropFirst() {
                    lines += ["======= " + (index < labels.count ? labels[index] : ""), side ?? ""]
                }
                lines.append(">>>>>>>")
                return lines.joined(separator: "\n")
            }
        }
        let parts = [merged.title] + merged.sections
        return parts.compactMap(block).filter { !$0.isEmpty }.joined(separator: "\n\n") + "\n"
    }

    /// The instructions shown below the scissors line.
    static func editInstructions(_ conflict: ConflictView, _ merged: MergedReport) -> [String] {
        [
            "Resolve report \(conflict.shortID), edited on \(conflict.sides.count) peers: above the line is every change merged section",
            merged.isClean
                ? "by section; no part clashed. Check it, then save and quit."
                : "by section; where sides clashed, keep the text you want and delete the marker lines (<<<<<<< ||||||| ======= >>>>>>>).",
            "The first line is the title; every line above the line is kept as it is.",
        ]
    }
}
