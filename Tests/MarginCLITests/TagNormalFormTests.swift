import Foundation
import MarginCore
import MarginStore
import Testing

@Suite("Tags typed by people are in one normal form")
struct TagNormalFormTests {
    @Test("tag S '#x' makes x, not #x; tagging x again is nothing to do; untag '#x' takes it off")
    func leadingHashIsDropped() async throws {
        let sandbox = try await CLISandbox.seeded()
        let section = try sandbox.open().someHeadingSection()

        let tagged = await sandbox.run("tag", section.reference, "#x", "##重点")
        #expect(tagged.status == 0)
        #expect(tagged.output == "Tagged \(section.reference): #x #重点\n")
        #expect(try sandbox.open().section(section.reference).tags == ["x", "重点"])
        #expect(await sandbox.run("tag", section.reference, "x").output.hasPrefix("Nothing to do"))

        #expect(await sandbox.run("untag", section.reference, "#x").output == "Untagged \(section.reference): #x\n")
        #expect(try sandbox.open().section(section.reference).tags == ["重点"])
    }

    @Test("find --tag '#重点' finds what show prints as #重点")
    func findWithHash() async throws {
        let sandbox = try await CLISandbox.seeded()
        let section = try sandbox.open().someHeadingSection()
        #expect(await sandbox.run("tag", section.reference, "重点").status == 0)
        let shown = await sandbox.run("show", section.reference)
        #expect(shown.output.contains("#重点"))

        let found = await sandbox.run("find", "--tag", "#重点")
        #expect(found.status == 0)
        #expect(found.lines.first?.hasPrefix("\(section.reference)  ") == true, "\(found.output)")
        #expect(found.lines.filter { !$0.hasPrefix(" ") }.count == 2, "one hit and the count line:\n\(found.output)")
    }

    @Test("NFC: a decomposed é and a precomposed é are one tag, stored precomposed")
    func nfc() async throws {
        let sandbox = try await CLISandbox.seeded()
        let section = try sandbox.open().someHeadingSection()
        #expect(await sandbox.run("tag", section.reference, "e\u{301}cole").status == 0)
        let before = try sandbox.changeCount()
        #expect(await sandbox.run("tag", section.reference, "\u{E9}cole").output.hasPrefix("Nothing to do"))
        #expect(try sandbox.changeCount() == before)
        let counts = try sandbox.open().tagCounts()
        #expect(counts.map { Array($0.tag.utf8) } == [Array("\u{E9}cole".utf8)])
        let found = await sandbox.run("find", "--tag", "e\u{301}cole")
        #expect(found.lines.first?.hasPrefix("\(section.reference)  ") == true, "\(found.output)")
    }

    @Test("tags keep their case: Funding and funding are two tags")
    func caseIsKept() async throws {
        let sandbox = try await CLISandbox.seeded()
        let section = try sandbox.open().someHeadingSection()
        #expect(await sandbox.run("tag", section.reference, "Funding", "funding").status == 0)
        #expect(try sandbox.open().section(section.reference).tags == ["Funding", "funding"])
    }

    @Test("an unusable tag is a usage error (64) that says why, and writes nothing",
          arguments: [
            ("#", "nothing is left"), ("has space", "no spaces"), ("a,b", "no commas"), ("bell\u{7}", "control character"),
            ("bad\u{FFFD}", "not valid UTF-8"), (String(repeating: "x", count: 65), "at most 64"),
          ])
    func unusable(_ tag: String, _ reason: String) async throws {
        let sandbox = try await CLISandbox.seeded()
        let section = try sandbox.open().someHeadingSection()
        let before = try sandbox.changeCount()
        for command in ["tag", "untag"] {
            let result = await sandbox.run(command, section.reference, "valid", tag)
            #expect(result.status == 64)
            #expect(result.output.isEmpty)
            #expect(result.errorLines.first?.contains("is not a usable tag") == true, "\(result.errors)")
            #expect(result.errors.contains(reason), "\(result.errors)")
        }
        let rename = await sandbox.run("tags", "rename", "valid", tag)
        #expect(rename.status == 64)
        #expect(rename.errors.contains(reason))
        #expect(try sandbox.changeCount() == before)
        #expect(try sandbox.open().section(section.reference).tags.isEmpty)
    }

    @Test("tag --help explains the normal form and that tags are case-sensitive")
    func help() async throws {
        let result = await CLISandbox.runBare(["tag", "--help"])
        #expect(result.status == 0)
        let text = result.output.replacingOccurrences(of: "\n", with: " ").split(separator: " ").joined(separator: " ")
        #expect(text.contains("NFC"))
        #expect(text.contains("without leading #"))
        #expect(text.contains("case-sensitive"))
        #expect(text.contains("margin tags rename"))
    }

    @Test("a tag received from a peer keeps its bytes: it is never renormalized, and rename can clean it up")
    func receivedTagsKeepTheirBytes() async throws {
        let sandbox = try await CLISandbox.seeded()
        let store = try sandbox.open()
        let section = try store.someHeadingSection()
        let stored = "#legacy"
        let body = BodyCoding.encode(TagBody(report: section.report, section: section.id, tag: stored, present: true))
        let revision = Revision(
            record: Identity.tag(stored, on: section.id), kind: .tag, parents: [], origin: PeerID.random(), counter: 1,
            clock: 1, author: "older peer", createdAt: 1_700_000_000_000, body: body)
        _ = try store.receive([revision], source: "peer")

        #expect(try store.section(section.reference).tags == [stored])
        #expect(try store.tagCounts().map(\.tag) == [stored])
        #expect(await sandbox.run("tags").lines == ["1\t##legacy"])

        // `untag` reads what it is given in normal form (legacy), which is not the stored tag.
        #expect(await sandbox.run("untag", section.reference, "#legacy").output.hasPrefix("Nothing to do"))
        // `tags rename` matches the stored text exactly first.
        let renamed = await sandbox.run("tags", "rename", stored, "legacy")
        #expect(renamed.status == 0)
        #expect(renamed.output == "Renamed ##legacy to #legacy on 1 section.\n")
        #expect(try store.section(section.reference).tags == ["legacy"])
    }
}
