/// A document flattened onto one or a few lines (a page copied without its line breaks): its title, paragraphs
/// and headings run on, separated by spaces.
///
/// A long line is such a document whatever it holds. A short page flattened the same way is found by its outline:
/// the line holds a label numbered 1 and, later, the 2 of the same kind, each at the line's start or after a space
/// (`…现总结如下： 一、主要工作 （一）… 二、存在问题 …`). Length alone missed those pages: a report of 300
/// characters was refused for having no headings. A paragraph that mentions one `一、`, or that lists `一是…二是…`
/// or `一、…；二、…` inside its sentences, holds no such outline and stays a paragraph.
enum FlattenedText {
    /// A line longer than this (in Unicode scalars) is a document's text run together, not a paragraph.
    static let longLine = 400

    /// Whether `line` reads as a document flattened onto it: long, or holding the start of an outline.
    static func isFlattened(_ line: String) -> Bool {
        line.unicodeScalars.count > longLine || holdsOutline(line)
    }

    /// Whether `line` holds a label numbered 1 and a later 2 of the same kind, each after a space (or at the start).
    static func holdsOutline(_ line: String) -> Bool {
        let s = Array(line.unicodeScalars)
        var firsts: Set<HeadingLabel.Kind> = []
        var i = 0
        while i < s.count {
            let afterGap = i == 0 || s[i - 1].properties.isWhitespace
            if afterGap, HeadingLabel.mayStartLabel(s[i]), let label = HeadingLabel.parse(scalars: s[i..<min(s.count, i + 200)]),
               !label.kind.headsOnlyALine {
                if label.number == 1 { firsts.insert(label.kind) }
                if label.number == 2, firsts.contains(label.kind) { return true }
                i += label.label.unicodeScalars.count
            } else {
                i += 1
            }
        }
        return false
    }
}
