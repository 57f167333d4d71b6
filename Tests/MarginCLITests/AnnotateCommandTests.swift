import Foundation
import MarginStore
import Testing

@Suite("margin annotate")
struct AnnotateCommandTests {
    /// A section whose text holds `quote` more than once, with the scalar offsets of each occurrence.
    static func sectionWithRepeatedQuote(_ store: MarginStore) throws -> (section: SectionDetail, quote: String, starts: [Int]) {
        for report in try store.reports() {
            for entry in try store.outline(of: report.shortID).sections where entry.level > 0 {
                let detail = try store.section(entry.reference)
                for quote in ["教育", "工作", "学校"] {
                    let starts = Scalars.occurrences(of: quote, in: detail.text)
                    if starts.count >= 2 { return (detail, quote, starts) }
                }
            }
        }
        throw CancellationError()
    }

    // MARK: - add

    @Test("annotate SECTION TEXT --quote anchors to the span, counting Unicode scalars")
    func addWithQuote() async throws {
        let sandbox = try await CLISandbox.seeded()
        let section = try sandbox.open().someHeadingSection()
        let (quote, start, end) = Scalars.uniqueQuote(in: section.text, start: 5, length: 7)
        let before = try sandbox.changeCount()

        let result = await sandbox.run("annotate", section.reference, "  值得与去年对比。 ", "--quote", quote)

        #expect(result.status == 0)
        #expect(result.errors.isEmpty)
        let store = try sandbox.open()
        let annotations = try store.section(section.reference).annotations
        let annotation = try #require(annotations.first)
        #expect(annotations.count == 1)
        #expect(result.output == "Added annotation \(annotation.shortID).\n")
        #expect(annotation.text == "值得与去年对比。", "the text is trimmed")
        #expect(annotation.author == "tester")
        #expect(annotation.section == section.id)
        #expect(!annotation.deleted && !annotation.conflicted)
        let anchor = try #require(annotation.anchor)
        #expect(anchor.quote == quote)
        #expect(anchor.start == start)
        #expect(anchor.end == end)
        #expect(anchor.end - anchor.start == quote.unicodeScalars.count)
        #expect(Scalars.slice(section.text, anchor.start, anchor.end) == quote)
        #expect(section.text.unicodeScalars.prefix(anchor.start).map(String.init).joined().hasSuffix(anchor.prefix))
        #expect(anchor.matches(section.text))
        #expect(try sandbox.changeCount() == before + 1)
        #expect(try store.changeLog(limit: 1).first?.summary == "annotated “值得与去年对比。”")
    }

    @Test("offsets count scalars, not UTF-16 units or grapheme clusters, past an astral character")
    func offsetsAreScalars() async throws {
        let sandbox = try await CLISandbox.initialized()
        // 𠀀 is one scalar but two UTF-16 units; é written as e + U+0301 is two scalars but one character.
        let report = "县教育工作总结\n\n一、概况\n𠀀年度e\u{301}工作取得成效，值得关注。\n二、问题\n还有不足。\n"
        let path = try sandbox.write("astral.txt", text: report)
        let imported = await sandbox.run("import", path)
        try #require(imported.status == 0, "\(imported.errors)")
        let store = try sandbox.open()
        let outline = try store.outline(of: try #require(try store.reports().first).shortID)
        let entry = try #require(outline.sections.first { $0.heading.contains("概况") })
        let text = try store.section(entry.reference).text

        let added = await sandbox.run("annotate", entry.reference, "批注", "--quote", "值得关注", "--json")
        #expect(added.status == 0, "\(added.errors)")
        let anchor = try #require(try added.decode(AnnotationView.self).anchor)
        let expectedStart = try #require(Scalars.occurrences(of: "值得关注", in: text).first)
        #expect(anchor.start == expectedStart)
        #expect(anchor.end == expectedStart + 4)
        #expect(Scalars.slice(text, anchor.start, anchor.end) == "值得关注")
        let utf16Start = text.utf16.distance(from: text.startIndex, to: try #require(text.range(of: "值得关注")).lowerBound)
        #expect(utf16Start == anchor.start + 1, "the astral character counts once, not twice")
    }

    @Test("annotate without --quote stores no anchor; --json prints the annotation")
    func addWithoutQuote() async throws {
        let sandbox = try await CLISandbox.seeded()
        let section = try sandbox.open().someHeadingSection()
        let result = await sandbox.run("annotate", section.reference, "整段批注", "--json")
        #expect(result.status == 0)
        let annotation = try result.decode(AnnotationView.self)
        #expect(annotation.anchor == nil)
        #expect(annotation.text == "整段批注")
        #expect(try sandbox.open().annotation(annotation.shortID) == annotation)
    }

    @Test("a quote that is not in the section exits 1 and writes nothing")
    func quoteNotFound() async throws {
        let sandbox = try await CLISandbox.seeded()
        let section = try sandbox.open().someHeadingSection()
        let before = try sandbox.changeCount()

        let result = await sandbox.run("annotate", section.reference, "批注", "--quote", "这段文字绝对不在原文里")

        #expect(result.status == 1)
        #expect(result.output.isEmpty)
        #expect(result.errorLines.count == 1)
        #expect(result.errors.contains("is not in the section text"))
        #expect(try sandbox.changeCount() == before)
        #expect(try sandbox.open().section(section.reference).annotations.isEmpty)
    }

    @Test("a quote occurring twice needs --occurrence; --occurrence 2 anchors to the second")
    func repeatedQuote() async throws {
        let sandbox = try await CLISandbox.seeded()
        let (section, quote, starts) = try Self.sectionWithRepeatedQuote(sandbox.open())
        let before = try sandbox.changeCount()

        let ambiguous = await sandbox.run("annotate", section.reference, "批注", "--quote", quote)
        #expect(ambiguous.status == 1)
        #expect(ambiguous.errors.contains("occurs \(starts.count) times"))
        #expect(ambiguous.errors.contains("--occurrence"))
        #expect(try sandbox.changeCount() == before)

        let beyond = await sandbox.run("annotate", section.reference, "批注", "--quote", quote, "--occurrence", "\(starts.count + 1)")
        #expect(beyond.status == 1)
        #expect(beyond.errors.contains("occurrence \(starts.count + 1) does not exist"))
        #expect(try sandbox.changeCount() == before)

        let second = await sandbox.run("annotate", section.reference, "第二处", "--quote", quote, "--occurrence", "2", "--json")
        #expect(second.status == 0)
        let anchor = try #require(try second.decode(AnnotationView.self).anchor)
        #expect(anchor.start == starts[1])
        #expect(anchor.end == starts[1] + quote.unicodeScalars.count)
        #expect(try sandbox.changeCount() == before + 1)
    }

    @Test("--occurrence 0 is refused and writes nothing")
    func occurrenceZero() async throws {
        let sandbox = try await CLISandbox.seeded()
        let (section, quote, _) = try Self.sectionWithRepeatedQuote(sandbox.open())
        let before = try sandbox.changeCount()
        let result = await sandbox.run("annotate", section.reference, "批注", "--quote", quote, "--occurrence", "0")
        #expect(result.status == 64)
        #expect(result.errors.contains("--occurrence must be 1 or more"))
        #expect(try sandbox.changeCount() == before)
    }

    @Test("annotating a report or an unknown section exits 1 and writes nothing")
    func addOnWrongTarget() async throws {
        let sandbox = try await CLISandbox.seeded()
        let report = try #require(try sandbox.open().reports().first)
        let before = try sandbox.changeCount()

        let onReport = await sandbox.run("annotate", report.shortID, "批注")
        #expect(onReport.status == 1)
        #expect(onReport.errors.contains("is a report, but a section"))

        let missing = await sandbox.run("annotate", "\(report.shortID)/42", "批注")
        #expect(missing.status == 1)
        #expect(missing.errors.contains("has no section 42"))
        #expect(try sandbox.changeCount() == before)
    }

    @Test("blank annotation text exits 64 and writes nothing")
    func blankText() async throws {
        let sandbox = try await CLISandbox.seeded()
        let section = try sandbox.open().someHeadingSection()
        let before = try sandbox.changeCount()
        let result = await sandbox.run("annotate", section.reference, "   ")
        #expect(result.status == 64)
        #expect(result.errors.contains("The note is empty"))
        #expect(try sandbox.changeCount() == before)
    }

    // MARK: - edit and delete

    @Test("--edit replaces the text, keeps the anchor, and writes one revision")
    func edit() async throws {
        let sandbox = try await CLISandbox.seeded()
        let section = try sandbox.open().someHeadingSection()
        let (quote, _, _) = Scalars.uniqueQuote(in: section.text)
        let added = try await sandbox.run("annotate", section.reference, "初稿", "--quote", quote, "--json").decode(AnnotationView.self)
        let before = try sandbox.changeCount()

        let result = await sandbox.run("annotate", "--edit", added.shortID, "定稿")

        #expect(result.status == 0)
        #expect(result.output == "Edited annotation \(added.shortID).\n")
        let edited = try sandbox.open().annotation(added.shortID)
        #expect(edited.text == "定稿")
        #expect(edited.anchor == added.anchor)
        #expect(edited.id == added.id)
        #expect(edited.createdAt == added.createdAt)
        #expect(try sandbox.changeCount() == before + 1)
        #expect(try sandbox.open().section(section.reference).annotations.map(\.text) == ["定稿"])
    }

    @Test("--delete hides the annotation; editing or deleting it again exits 1")
    func deleteThenEdit() async throws {
        let sandbox = try await CLISandbox.seeded()
        let section = try sandbox.open().someHeadingSection()
        let added = try await sandbox.run("annotate", section.reference, "将被删除", "--json").decode(AnnotationView.self)

        let deleted = await sandbox.run("annotate", "--delete", added.shortID)
        #expect(deleted.status == 0)
        #expect(deleted.output == "Deleted annotation \(added.shortID).\n")
        let store = try sandbox.open()
        #expect(try store.annotation(added.shortID).deleted)
        #expect(try store.section(section.reference).annotations.isEmpty)
        #expect(try store.reports().first { $0.id == section.report }?.annotations == 0)
        let before = try sandbox.changeCount()

        let edit = await sandbox.run("annotate", "--edit", added.shortID, "复活")
        #expect(edit.status == 1)
        #expect(edit.errorLines.count == 1)
        #expect(edit.errors.contains("Annotation \(added.shortID) was deleted"))
        #expect(edit.errors.contains("margin history \(added.shortID)"))

        let again = await sandbox.run("annotate", "--delete", added.shortID)
        #expect(again.status == 1)
        #expect(again.errors.contains("was deleted"))
        #expect(try sandbox.changeCount() == before)
    }

    @Test("--edit of something that is not an annotation exits 1")
    func editNonAnnotation() async throws {
        let sandbox = try await CLISandbox.seeded()
        let section = try sandbox.open().someHeadingSection()
        let result = await sandbox.run("annotate", "--edit", section.reference, "文字")
        #expect(result.status == 1)
        #expect(result.errors.contains("is a section, but a annotation is needed") || result.errors.contains("but an annotation"))
    }

    // MARK: - usage errors

    /// Command lines that `annotate` must refuse before touching the store, and a fragment of the message.
    static let usageErrors: [([String], String)] = [
        (["--edit", "abcd", "--delete", "abcd"], "--delete"),
        ([], "Name the section to annotate"),
        (["SECTION", "text", "extra"], "Give a section and the annotation text"),
        (["SECTION", "text", "--occurrence", "2"], "--occurrence needs --quote."),
        (["--edit", "abcd", "text", "extra"], "--edit takes the new text as its one argument"),
        (["--delete", "abcd", "text"], "--delete takes no text."),
        (["--edit", "abcd", "text", "--quote", "x"], "--quote and --occurrence apply only when adding or re-anchoring an annotation."),
        (["SECTION", "-", "--file", "note.md"], "either as an argument or with --file"),
        (["--reanchor", "abcd", "--quote", "x", "--file", "note.md"], "--reanchor takes no text"),
    ]

    @Test("usage errors exit 64 with the usage line and write nothing", arguments: usageErrors)
    func usageError(_ arguments: [String], _ message: String) async throws {
        let sandbox = try await CLISandbox.seeded()
        let section = try sandbox.open().someHeadingSection()
        let before = try sandbox.changeCount()
        let line = ["annotate"] + arguments.map { $0 == "SECTION" ? section.reference : $0 }

        let result = await sandbox.run(line, input: .fixed())

        #expect(result.status == 64)
        #expect(result.output.isEmpty)
        #expect(result.errors.contains(message), "\(result.errors)")
        #expect(result.errors.contains("Usage: margin annotate"), "\(result.errors)")
        #expect(try sandbox.changeCount() == before)
    }
}
