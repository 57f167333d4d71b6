import Foundation
import MarginCLI
import MarginStore
import Testing

@Suite("margin find")
struct FindCommandTests {
    /// Checks that every hit really contains the query, in its section text/heading or its annotation.
    static func expectHitsContain(_ query: String, _ hits: [SearchHit], _ store: MarginStore,
                                  sourceLocation: SourceLocation = #_sourceLocation) throws {
        for hit in hits {
            #expect(hit.snippet.match == query, "the snippet marks the match: \(hit.snippet)", sourceLocation: sourceLocation)
            switch hit.kind {
            case .section:
                let detail = try store.section(hit.reference)
                #expect(detail.text.contains(query) || detail.heading.contains(query), sourceLocation: sourceLocation)
            case .annotation:
                let id = try #require(hit.annotation, sourceLocation: sourceLocation)
                #expect(try store.annotation(id).text.contains(query), sourceLocation: sourceLocation)
            }
        }
    }

    @Test("a query of three or more characters is found through the full-text index", arguments: ["幼儿园", "师资队伍", "教育局"])
    func longQuery(_ query: String) async throws {
        let sandbox = try await CLISandbox.seeded()
        let store = try sandbox.open()
        let hits = try await sandbox.run("find", query, "--json", "--limit", "500").decode(ListingPage<SearchHit>.self).items

        #expect(!hits.isEmpty)
        try Self.expectHitsContain(query, hits, store)
        #expect(hits.allSatisfy { $0.kind == .section })
        #expect(hits.map(\.score) == hits.map(\.score).sorted(by: >), "best matches first")
        #expect(Set(hits.map(\.reference)).count == hits.count)
        // The index finds every section whose text holds the phrase.
        #expect(hits.count == (try Self.sectionsContaining(query, store)))
    }

    @Test("queries of one or two characters fall back to a substring scan", arguments: ["教育", "师"])
    func shortQuery(_ query: String) async throws {
        let sandbox = try await CLISandbox.seeded()
        let store = try sandbox.open()
        let hits = try await sandbox.run("find", query, "--json", "--limit", "1000").decode(ListingPage<SearchHit>.self).items

        #expect(!hits.isEmpty)
        try Self.expectHitsContain(query, hits, store)
        #expect(hits.count == (try Self.sectionsContaining(query, store)))
        #expect(hits.map(\.score) == hits.map(\.score).sorted(by: >))
    }

    @Test("find prints a reference line and an indented snippet per hit")
    func textOutput() async throws {
        let sandbox = try await CLISandbox.seeded()
        let result = await sandbox.run("find", "幼儿园", "--limit", "3")
        #expect(result.status == 0)
        #expect(result.lines.count == 7, "three hits of two lines, then the total")
        let hits = try await sandbox.run("find", "幼儿园", "--limit", "3", "--json").decode(ListingPage<SearchHit>.self).items
        #expect(hits.count == 3)
        for (index, hit) in hits.enumerated() {
            #expect(result.lines[2 * index].hasPrefix("\(hit.reference)  \(hit.heading)  — "))
            #expect(result.lines[2 * index + 1] == "    " + hit.snippet.marked("[", "]"))
        }
        #expect(result.lines[6].hasPrefix("1–3 of "))
        #expect(result.lines[6].contains("--offset 3"))
        // The JSON convention: a full id and a reference beside it, and both references work in `show`.
        for hit in hits {
            #expect(hit.sectionReference == hit.reference)
            #expect(hit.sectionReference.hasPrefix(hit.reportReference + "/"))
            #expect(hit.report.rawValue.hasPrefix(hit.reportReference))
            #expect(await sandbox.run("show", hit.reportReference).status == 0)
            #expect(await sandbox.run("show", hit.sectionReference).status == 0)
        }
    }

    @Test("--limit caps the number of hits")
    func limit() async throws {
        let sandbox = try await CLISandbox.seeded()
        let all = try await sandbox.run("find", "教育", "--json", "--limit", "1000").decode(ListingPage<SearchHit>.self).items
        let two = try await sandbox.run("find", "教育", "--json", "--limit", "2").decode(ListingPage<SearchHit>.self).items
        #expect(all.count > 2)
        #expect(two.count == 2)
        #expect(two == Array(all.prefix(2)))
        let defaultLimit = try await sandbox.run("find", "教育", "--json").decode(ListingPage<SearchHit>.self).items
        #expect(defaultLimit.count == min(20, all.count))
    }

    @Test("--tag alone lists the tagged sections; with text, only tagged sections that match")
    func tagFilter() async throws {
        let sandbox = try await CLISandbox.seeded()
        let store = try sandbox.open()
        let (withWord, withoutWord) = try Self.sectionsWithAndWithout("教育", store)
        #expect(await sandbox.run("tag", withWord.reference, "focus", "second").status == 0)
        #expect(await sandbox.run("tag", withoutWord.reference, "focus").status == 0)

        let tagged = try await sandbox.run("find", "--tag", "focus", "--json").decode(ListingPage<SearchHit>.self).items
        #expect(Set(tagged.map(\.reference)) == [withWord.reference, withoutWord.reference])

        let both = try await sandbox.run("find", "--tag", "focus", "教育", "--json").decode(ListingPage<SearchHit>.self).items
        #expect(both.map(\.reference) == [withWord.reference])

        let twoTags = try await sandbox.run("find", "--tag", "focus", "--tag", "second", "--json").decode(ListingPage<SearchHit>.self).items
        #expect(twoTags.map(\.reference) == [withWord.reference], "every --tag must match")

        let longText = try await sandbox.run("find", "--tag", "focus", withWord.quote, "--json").decode(ListingPage<SearchHit>.self).items
        #expect(longText.map(\.reference) == [withWord.reference], "the tag filter applies to the full-text path too")

        let none = await sandbox.run("find", "--tag", "nobody-uses-this")
        #expect(none.status == 0)
        #expect(none.output == "No matches.\n")
    }

    @Test("annotations are found by their text, and marked as notes", arguments: ["独一无二的批注", "批注"])
    func annotationHits(_ query: String) async throws {
        let sandbox = try await CLISandbox.seeded()
        let section = try sandbox.open().someHeadingSection()
        let added = try await sandbox.run("annotate", section.reference, "这是独一无二的批注文字", "--json").decode(AnnotationView.self)

        let hits = try await sandbox.run("find", query, "--json", "--limit", "100").decode(ListingPage<SearchHit>.self).items
        let note = try #require(hits.first { $0.kind == .annotation })
        #expect(note.annotation == added.shortID)
        #expect(note.reference == section.reference)
        #expect(note.snippet.match == query)
        #expect(note.annotationID == added.id)

        let text = await sandbox.run("find", query, "--limit", "100")
        #expect(text.lines.contains { $0.hasPrefix("note \(added.shortID) on \(section.reference)  ") })

        // Deleted annotations are no longer found.
        #expect(await sandbox.run("annotate", "--delete", added.shortID).status == 0)
        let after = try await sandbox.run("find", query, "--json", "--limit", "100").decode(ListingPage<SearchHit>.self).items
        #expect(!after.contains { $0.kind == .annotation })
    }

    @Test("a query with quotes or FTS operators is searched literally")
    func punctuation() async throws {
        let sandbox = try await CLISandbox.seeded()
        for query in ["\"教育", "教育 OR 学校", "NEAR(a b)", "*"] {
            let result = await sandbox.run("find", query)
            #expect(result.status == 0, "\(query): \(result.errors)")
        }
    }

    @Test("nothing found prints No matches.")
    func noMatches() async throws {
        let sandbox = try await CLISandbox.seeded()
        let result = await sandbox.run("find", "量子纠缠态")
        #expect(result.status == 0)
        #expect(result.output == "No matches.\n")
        #expect(try await sandbox.run("find", "量子纠缠态", "--json").decode(ListingPage<SearchHit>.self).items.isEmpty)
    }

    @Test("find without text or tag, or with --limit 0, is a usage error", arguments: [[String](), [""], ["教育", "--limit", "0"]])
    func usageErrors(_ arguments: [String]) async throws {
        let sandbox = try await CLISandbox.seeded()
        let result = await sandbox.run(["find"] + arguments)
        #expect(result.status == 64)
        #expect(result.output.isEmpty)
        #expect(result.errors.contains("Usage: margin find"))
    }

    @Test("an unusable --tag is a usage error (64), as it is for margin tag; a leading # is the same tag")
    func invalidTagFilter() async throws {
        let sandbox = try await CLISandbox.seeded()
        let result = await sandbox.run("find", "--tag", "two words")
        #expect(result.status == 64)
        #expect(result.errors.contains("is not a usable tag"))
        #expect(result.errors.contains("Usage: margin find"))
        let section = try sandbox.open().someHeadingSection().reference
        #expect(await sandbox.run("tag", section, "重点").status == 0)
        let plain = await sandbox.run("find", "--tag", "重点")
        let hashed = await sandbox.run("find", "--tag", "#重点")
        #expect(plain.status == 0 && hashed.status == 0)
        #expect(plain.output == hashed.output)
        #expect(plain.output.contains(section))
    }

    // MARK: - helpers

    /// How many sections hold `query` in their text or heading.
    static func sectionsContaining(_ query: String, _ store: MarginStore) throws -> Int {
        var count = 0
        for report in try store.reports() {
            for entry in try store.outline(of: report.shortID).sections {
                let detail = try store.section(entry.reference)
                if detail.text.contains(query) || detail.heading.contains(query) { count += 1 }
            }
        }
        return count
    }

    /// A heading section containing `word` (with a unique long quote from it) and one without it.
    static func sectionsWithAndWithout(_ word: String, _ store: MarginStore) throws
        -> (with: (reference: String, quote: String), without: (reference: String, quote: String))
    {
        var with: (String, String)?
        var without: (String, String)?
        for report in try store.reports() {
            for entry in try store.outline(of: report.shortID).sections where entry.level > 0 {
                let detail = try store.section(entry.reference)
                let holds = detail.text.contains(word) || detail.heading.contains(word)
                if holds, with == nil, detail.text.unicodeScalars.count > 20 {
                    with = (entry.reference, Scalars.uniqueQuote(in: detail.text, start: 3, length: 8).quote)
                }
                if !holds, without == nil { without = (entry.reference, "") }
            }
        }
        let found = try #require(with.flatMap { w in without.map { (w, $0) } })
        return ((found.0.0, found.0.1), (found.1.0, found.1.1))
    }
}

@Suite("margin find: totals, pages and highlighting")
struct FindPagingTests {
    @Test("the closing line gives the total and how to see more; pages put together are the whole ranking")
    func totalAndPages() async throws {
        let sandbox = try await CLISandbox.seeded()
        let whole = try await sandbox.run("find", "教育", "--json", "--limit", "1000").decode(ListingPage<SearchHit>.self)
        #expect(whole.total == whole.items.count)
        #expect(whole.total > 25)

        let first = await sandbox.run("find", "教育")
        #expect(first.lines.count == 2 * 20 + 1)
        #expect(first.lines.last == "1–20 of \(whole.total) matches; see the next 20 with --offset 20, or more at once with --limit.")

        var paged: [SearchHit] = []
        for offset in stride(from: 0, to: whole.total, by: 9) {
            let page = try await sandbox.run("find", "教育", "--json", "--limit", "9", "--offset", "\(offset)")
                .decode(ListingPage<SearchHit>.self)
            #expect(page.total == whole.total)
            #expect(page.offset == offset)
            paged += page.items
        }
        #expect(paged == whole.items)

        let last = await sandbox.run("find", "教育", "--offset", "\(whole.total - 2)")
        #expect(last.lines.last == "\(whole.total - 1)–\(whole.total) of \(whole.total) matches.")
        let past = await sandbox.run("find", "教育", "--offset", "\(whole.total + 5)")
        #expect(past.output == "No matches past the first \(whole.total + 5); there are \(whole.total) matches.\n")
    }

    @Test("when every hit is shown, the closing line is just the total")
    func everythingShown() async throws {
        let sandbox = try await CLISandbox.seeded()
        let section = try sandbox.open().someHeadingSection()
        #expect(await sandbox.run("annotate", section.reference, "一条独一无二的批注").status == 0)
        let result = await sandbox.run("find", "独一无二的批注")
        #expect(result.lines.count == 3)
        #expect(result.lines.last == "1 match.")
    }

    @Test("--json is one object; a hit names its section and note by full id and reference")
    func jsonShape() async throws {
        let sandbox = try await CLISandbox.seeded()
        let section = try sandbox.open().someHeadingSection()
        let note = try await sandbox.run("annotate", section.reference, "这条批注值得一找", "--json").decode(AnnotationView.self)
        let raw = await sandbox.run("find", "值得一找", "--json").output
        let object = try #require(try JSONSerialization.jsonObject(with: Data(raw.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["items", "total", "offset"])
        #expect(object["total"] as? Int == 1)
        let hit = try #require((object["items"] as? [[String: Any]])?.first)
        #expect(hit["kind"] as? String == "annotation")
        #expect(hit["section"] as? String == section.id.rawValue)
        #expect(hit["reference"] as? String == section.reference)
        #expect(hit["annotation"] as? String == note.id.rawValue)
        #expect(hit["annotationReference"] as? String == note.shortID)
        #expect(hit["report"] as? String == section.report.rawValue)
        let snippet = try #require(hit["snippet"] as? [String: String])
        #expect(snippet["match"] == "值得一找")
        #expect(snippet["before"]! + snippet["match"]! + snippet["after"]! == "这条批注值得一找")
        // Both references are what `show` accepts.
        #expect(await sandbox.run("show", section.reference).status == 0)
        #expect(await sandbox.run("show", note.shortID).status == 0)
    }

    @Test("on a terminal the match is in reverse video; elsewhere, or with NO_COLOR, between brackets")
    func highlighting() async throws {
        let sandbox = try await CLISandbox.seeded()
        let arguments = ["find", "幼儿园", "--limit", "1", "--store", sandbox.storePath]
        let terminal = Console.capturingTerminal(environment: ["TERM": "xterm-256color"])
        #expect(await MarginCLI.run(arguments, console: terminal) == 0)
        #expect(terminal.output.contains("\u{1B}[7m幼儿园\u{1B}[0m"))
        #expect(!terminal.output.contains("[幼儿园]"))

        for environment in [["TERM": "xterm-256color", "NO_COLOR": "1"], ["TERM": "dumb"]] {
            let plain = Console.capturingTerminal(environment: environment)
            #expect(await MarginCLI.run(arguments, console: plain) == 0)
            #expect(plain.output.contains("[幼儿园]"), "\(environment)")
            #expect(!plain.output.contains("\u{1B}"), "\(environment)")
        }
        let piped = await sandbox.run("find", "幼儿园", "--limit", "1")
        #expect(piped.output.contains("[幼儿园]"))
        #expect(!piped.output.contains("\u{1B}"))
    }
}
