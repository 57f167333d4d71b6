import Foundation
import MarginCore
import MarginStore
import Testing

/// `margin conflicts`, `margin resolve` and `margin annotate --reanchor`, on conflicts made by two peers.
@Suite("Conflict commands")
struct ConflictCommandTests {
    /// Two seeded stores that edited one annotation concurrently ("数据正确" on A, "数据存疑" on B), exchanged.
    static func conflicted() async throws -> (a: CLISandbox, b: CLISandbox, annotation: String) {
        let a = try await CLISandbox.seeded()
        let b = try await CLISandbox.seeded()
        let section = try a.open().someHeadingSection().reference
        let added = await a.run("annotate", section, "数据有误", "--json")
        let annotation = try added.decode(AnnotationView.self).id.rawValue
        try exchange(a, b)
        #expect(await a.run("annotate", "--edit", annotation, "数据正确").status == 0)
        #expect(await b.run("annotate", "--edit", annotation, "数据存疑").status == 0)
        try exchange(a, b)
        return (a, b, annotation)
    }

    static func exchange(_ a: CLISandbox, _ b: CLISandbox) throws {
        for (source, target) in [(try a.open(), try b.open()), (try b.open(), try a.open())] {
            while true {
                let page = try source.revisions(
                    missingFrom: try target.versionVector(), limit: 1000, maxBytes: 1 << 24, size: { $0.body.utf8.count })
                if page.revisions.isEmpty { break }
                try target.receive(page.revisions, source: "test")
                if !page.more { break }
            }
        }
    }

    @Test func conflictsListsBothSidesAndTheBaseIdenticallyOnBothPeers() async throws {
        let (a, b, annotation) = try await Self.conflicted()
        let onA = await a.run("conflicts")
        #expect(onA.status == 0)
        #expect(onA.output.contains("base"))
        #expect(onA.output.contains("数据⟦正确⟧"))
        #expect(onA.output.contains("数据⟦存疑⟧"))
        #expect(onA.output.contains("margin resolve \(annotation.prefix(4))"))
        let jsonA = try await a.run("conflicts", "--json").decode([ConflictView].self)
        let jsonB = try await b.run("conflicts", "--json").decode([ConflictView].self)
        #expect(jsonA == jsonB)
        #expect(jsonA.count == 1)
        // show and reports mark the conflict.
        let section = try #require(jsonA.first?.section)
        #expect(await a.run("show", section).output.contains("in conflict"))
        #expect(try a.open().reports().contains { $0.conflicts == 1 })
        // A plain edit is refused with a hint.
        let edit = await a.run("annotate", "--edit", annotation, "别的")
        #expect(edit.status == 1)
        #expect(edit.errors.contains("margin resolve"))
    }

    @Test func resolveKeepSettlesTheConflictAndSyncsToThePeer() async throws {
        let (a, b, annotation) = try await Self.conflicted()
        let conflict = try #require(try a.open().conflicts().first)
        let keep = try #require(conflict.sides.first { $0.text == "数据存疑" })
        let resolved = await a.run("resolve", annotation, "--keep", keep.shortRevision)
        #expect(resolved.status == 0, "\(resolved.errors)")
        #expect(resolved.output.contains("Resolved"))
        #expect(await a.run("conflicts").output.contains("No open conflicts"))
        try Self.exchange(a, b)
        #expect(try b.open().conflicts().isEmpty)
        #expect(try b.open().annotation(annotation).text == "数据存疑")
        let again = await b.run("resolve", annotation, "--text", "再来")
        #expect(again.status == 1)
        #expect(again.errors.contains("not in conflict"))
    }

    @Test func resolveTextWritesTheMergedText() async throws {
        let (a, _, annotation) = try await Self.conflicted()
        let before = try a.changeCount()
        #expect(await a.run("resolve", annotation, "--keep", "ffffffff").status == 1)
        #expect(try a.changeCount() == before)
        let resolved = await a.run("resolve", annotation, "--text", "数据正确但存疑", "--json")
        #expect(try resolved.decode(AnnotationView.self).text == "数据正确但存疑")
        let history = try a.open().history(of: annotation)
        #expect(history.last?.revision.parents.count == 2)
    }

    @Test func resolveNeedsExactlyOneWayToResolve() async throws {
        let sandbox = try await CLISandbox.seeded()
        #expect(await sandbox.run("resolve", "abcd").status == 64)
        #expect(await sandbox.run("resolve", "abcd", "--keep", "x", "--text", "y").status == 64)
    }

    @Test func resolveEditUsesTheEditorAndRefusesLeftoverMarkers() async throws {
        let (a, _, annotation) = try await Self.conflicted()
        let untouched = try a.editorScript("keep-markers.sh", "true")
        let before = try a.changeCount()

        let refused = await a.run(["resolve", annotation, "--edit"], input: CLISandbox.editor(untouched))
        #expect(refused.status == 1)
        #expect(refused.errors.contains("conflict markers"), "\(refused.errors)")
        #expect(refused.keptTextFile == nil, "the file was not changed, so there is nothing to keep")
        #expect(try a.open().conflicts().count == 1)
        #expect(try a.changeCount() == before)

        // Markers are found in a file saved with CRLF line ends too.
        let crlf = try a.editorScript("crlf.sh", "sed 's/$/\\r/' \"$1\" > \"$1.new\" && mv \"$1.new\" \"$1\"")
        let refusedCRLF = await a.run(["resolve", annotation, "--edit"], input: CLISandbox.editor(crlf))
        #expect(refusedCRLF.status == 1)
        #expect(refusedCRLF.errors.contains("conflict markers"), "\(refusedCRLF.errors)")
        if let file = refusedCRLF.keptTextFile { try? FileManager.default.removeItem(atPath: file) }

        // A half-done merge is not thrown away: the file stays, and the person is told where.
        let halfDone = try a.editorScript("half-done.sh", "sed -i '1i\\\n我的合并说明' \"$1\"")
        let kept = await a.run(["resolve", annotation, "--edit"], input: CLISandbox.editor(halfDone))
        #expect(kept.status == 1)
        #expect(kept.errors.contains("conflict markers"))
        let file = try #require(kept.keptTextFile, "\(kept.errors)")
        defer { try? FileManager.default.removeItem(atPath: file) }
        let saved = try String(contentsOfFile: file, encoding: .utf8)
        #expect(saved.hasPrefix("我的合并说明\n<<<<<<< "))
        #expect(try a.changeCount() == before)
    }

    @Test func resolveEditKeepsEveryLineAboveTheScissorsIncludingHashLines() async throws {
        let (a, b, annotation) = try await Self.conflicted()
        let template = a.folder.appendingPathComponent("template.txt").path
        // Keeps the scissors line and what follows it (the instructions), and replaces everything above it.
        let merge = try a.editorScript("merge.sh", """
            cp "$1" \(Shell.quote(template))
            { printf '%s\\n' '#重点 数据已核实' '#' '# 正确与存疑两说并存'; sed -n '/^# -* >8 -*$/,$p' "$1"; } > "$1.new" && mv "$1.new" "$1"
            """)

        let resolved = await a.run(["resolve", annotation, "--edit"], input: CLISandbox.editor(merge))

        #expect(resolved.status == 0, "\(resolved.errors)")
        #expect(try a.open().annotation(annotation).text == "#重点 数据已核实\n#\n# 正确与存疑两说并存")
        #expect(try a.open().conflicts().isEmpty)
        let lines = try String(contentsOfFile: template, encoding: .utf8).components(separatedBy: "\n")
        let cut = try #require(lines.firstIndex(of: AnnotateInputTests.scissors))
        #expect(lines[..<cut].contains { $0.hasPrefix("<<<<<<< ") }, "the sides are above the scissors")
        #expect(lines[..<cut].contains("数据正确") && lines[..<cut].contains("数据存疑"))
        #expect(!lines[..<cut].contains { $0.hasPrefix("#") }, "no instructions mixed with the text to keep")
        #expect(lines[cut...].dropFirst().allSatisfy { $0.isEmpty || $0.hasPrefix("#") })
        try Self.exchange(a, b)
        #expect(try b.open().annotation(annotation).text == "#重点 数据已核实\n#\n# 正确与存疑两说并存")
    }

    @Test func resolveEditWithoutAnEditorIsAUsageErrorThatNamesTheAlternatives() async throws {
        let (a, _, annotation) = try await Self.conflicted()
        let before = try a.changeCount()
        let result = await a.run(["resolve", annotation, "--edit"], input: .fixed())
        #expect(result.status == 64)
        #expect(result.errors.contains("No editor to open"))
        #expect(result.errors.contains("--keep REVISION") && result.errors.contains("--text TEXT"))
        let empty = await a.run("resolve", annotation, "--text", "  ")
        #expect(empty.status == 64)
        #expect(empty.errors.contains("The text is empty"))
        #expect(try a.changeCount() == before)
        #expect(try a.open().conflicts().count == 1)
    }

    @Test func orphanedAnnotationsAreShownAndCanBeReanchored() async throws {
        let sandbox = try await CLISandbox.seeded()
        let store = try sandbox.open()
        let report = try store.report(titled: "人事科工作总结")
        let section = try #require(try store.outline(of: report.shortID).sections.first { $0.heading.contains("加强政治业务学习") })
        let detail = try store.section(section.reference)
        let quote = "结合人事工作的性质"
        let added = await sandbox.run("annotate", section.reference, "注", "--quote", quote, "--json")
        let annotation = try added.decode(AnnotationView.self)
        // Rewrite the quoted line and re-import: the quote can no longer be placed.
        let seed = try #require(SeedFiles.paths.first { $0.hasSuffix("002_91bd548f20111c10.txt") })
        var text = try SeedFiles.text(seed)
        for line in detail.text.components(separatedBy: "\n") where line.contains(quote) {
            text = text.replacingOccurrences(of: line, with: "本段已全部重写,内容与之前完全不同。")
        }
        let changed = try sandbox.write("002_91bd548f20111c10.txt", text: text)
        #expect(await sandbox.run("import", changed).status == 0)
        let shown = await sandbox.run("show", section.reference)
        #expect(shown.output.contains("orphaned"))
        #expect(shown.output.contains("--reanchor \(annotation.shortID)"))

        #expect(await sandbox.run("annotate", "--reanchor", annotation.shortID).status == 64)
        #expect(await sandbox.run("annotate", "--reanchor", annotation.shortID, "--quote", "不存在的文字").status == 1)
        let reanchored = await sandbox.run("annotate", "--reanchor", annotation.shortID, "--quote", "本段已全部重写")
        #expect(reanchored.status == 0, "\(reanchored.errors)")
        #expect(try sandbox.open().orphanedAnnotations().isEmpty)
    }
}
