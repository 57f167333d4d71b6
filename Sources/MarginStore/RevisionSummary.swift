import MarginCore

/// One-line descriptions of revisions, for the change log and history.
enum RevisionSummary {
    /// Describes a revision; `sectionReference` names the section a tag revision is about (`3f9a/2.1`), nil when
    /// that section is no longer in its report.
    static func describe(_ revision: Revision, sectionReference: String?) -> String {
        let isFirst = revision.parents.isEmpty
        let merges = revision.parents.count > 1 ? " (merging \(revision.parents.count) versions)" : ""
        switch revision.kind {
        case .report:
            guard let body = try? BodyCoding.decode(ReportBody.self, from: revision.body, kind: .report) else { return "report" }
            if body.removed { return "removed report “\(body.title)”" + merges }
            return (isFirst ? "imported" : "re-imported") + " “\(body.title)” (\(body.sections.count) sections)" + merges
        case .annotation:
            guard let body = try? BodyCoding.decode(AnnotationBody.self, from: revision.body, kind: .annotation) else { return "annotation" }
            if body.deleted { return "deleted annotation \(revision.record.rawValue.prefix(8))" + merges }
            return (isFirst ? "annotated" : "edited annotation \(revision.record.rawValue.prefix(8)):") + " “\(clip(body.text))”" + merges
        case .tag:
            guard let body = try? BodyCoding.decode(TagBody.self, from: revision.body, kind: .tag) else { return "tag" }
            let place = sectionReference.map { " on " + $0 } ?? " on a section no longer in its report"
            return (body.present ? "tagged #" : "untagged #") + body.tag + place + merges
        default:
            return "a record of unknown kind “\(revision.kind.rawValue)” (kept and forwarded)" + merges
        }
    }

    static func clip(_ text: String, to length: Int = 40) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: " ")
        return flat.count > length ? String(flat.prefix(length)) + "…" : flat
    }
}

/// What changed between two revisions of a record, as lines a person can read.
enum RevisionDiff {
    static func changes(from old: Revision?, to new: Revision) -> [String] {
        guard let old else { return ["+ created"] }
        switch new.kind {
        case .report:
            guard let before = try? BodyCoding.decode(ReportBody.self, from: old.body, kind: .report),
                let after = try? BodyCoding.decode(ReportBody.self, from: new.body, kind: .report)
            else { return [] }
            return reportChanges(before, after)
        case .annotation:
            guard let before = try? BodyCoding.decode(AnnotationBody.self, from: old.body, kind: .annotation),
                let after = try? BodyCoding.decode(AnnotationBody.self, from: new.body, kind: .annotation)
            else { return [] }
            if after.deleted && !before.deleted { return lineChanges(before.text, "") + ["(deleted)"] }
            if before.deleted && !after.deleted { return ["(restored)"] + lineChanges("", after.text) }
            return lineChanges(before.text, after.text)
        case .tag:
            guard let after = try? BodyCoding.decode(TagBody.self, from: new.body, kind: .tag) else { return [] }
            return [(after.present ? "+ #" : "- #") + after.tag]
        default:
            return ["(a kind this version does not know: \(new.kind.rawValue))"]
        }
    }

    static func reportChanges(_ before: ReportBody, _ after: ReportBody) -> [String] {
        var lines: [String] = []
        if after.removed != before.removed { lines.append(after.removed ? "(removed)" : "(brought back)") }
        if before.title != after.title { lines += ["title: “\(before.title)” → “\(after.title)”"] }
        let old = Dictionary(before.sections.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let new = Dictionary(after.sections.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for section in before.sections where new[section.id] == nil {
            lines.append("- section \(section.label)\(section.heading)")
        }
        for section in after.sections {
            guard let previous = old[section.id] else {
                lines.append("+ section \(section.label)\(section.heading)")
                continue
            }
            if previous.text != section.text || previous.label != section.label {
                lines.append("~ section \(section.label)\(section.heading)")
                lines += lineChanges(previous.text, section.text).map { "    " + $0 }
            }
        }
        return lines
    }

    /// The lines of `before` that `after` removes and the lines it inserts, in the order of the texts (as a unified
    /// diff lists them: at each place, removed lines before inserted ones). An empty text has no lines.
    static func lineChanges(_ before: String, _ after: String) -> [String] {
        let old = before.isEmpty ? [] : before.components(separatedBy: "\n")
        let new = after.isEmpty ? [] : after.components(separatedBy: "\n")
        let difference = new.difference(from: old)
        var removed: Set<Int> = []
        var inserted: Set<Int> = []
        for change in difference {
            switch change {
            case let .remove(offset, _, _): removed.insert(offset)
            case let .insert(offset, _, _): inserted.insert(offset)
            }
        }
        var lines: [String] = []
        var (oldIndex, newIndex) = (0, 0)
        while oldIndex < old.count || newIndex < new.count {
            if oldIndex < old.count, removed.contains(oldIndex) {
                lines.append("- " + old[oldIndex])
                oldIndex += 1
            } else if newIndex < new.count, inserted.contains(newIndex) {
                lines.append("+ " + new[newIndex])
                newIndex += 1
            } else {
                oldIndex += 1
                newIndex += 1
            }
        }
        return lines
    }
}
