import Foundation
import MarginCLI
import MarginStore
import Testing

/// The file handed to $EDITOR holds a person's notes or report text: only its owner may read it, while the editor
/// has it open and when it is left behind after a refused write.
@Suite("Editor files are private (mode 0600)")
struct EditorFilePrivacyTests {
    /// An editor script that appends the mode of the file it is given to `log`, then runs `then`.
    static func modeRecorder(in sandbox: CLISandbox, log: String, then: String = "true") throws -> String {
        try sandbox.editorScript("mode-\(UUID().uuidString).sh", "stat -c %a \"$1\" >> \(Shell.quote(log))\n" + then)
    }

    /// An editor that saves the way some editors do, by writing a new file (mode 0644 under umask 022) and renaming
    /// it over the old one, and leaves out the scissors line, so the text cannot be saved and is kept.
    static let replaceWithoutScissors = """
        umask 022
        printf '%s\\n' '写到一半的文字' > "$1.new" && mv "$1.new" "$1"
        """

    static func mode(of path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    static func loggedModes(_ log: String) throws -> [String] {
        try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    @Test func annotateAndAnnotateEditHandTheEditorAPrivateFile() async throws {
        let sandbox = try await CLISandbox.seeded()
        let section = try sandbox.open().someHeadingSection()
        let log = sandbox.folder.appendingPathComponent("modes.log").path
        let writer = try Self.modeRecorder(in: sandbox, log: log, then: "printf '%s\\n' '值得对比' | cat - \"$1\" > \"$1.new\" && cat \"$1.new\" > \"$1\" && rm \"$1.new\"")
        let added = await sandbox.run(["annotate", section.reference, "--json"], input: CLISandbox.editor(writer))
        #expect(added.status == 0, "\(added.errors)")
        let annotation = try added.decode(AnnotationView.self)
        #expect(annotation.text == "值得对比")

        let refusing = try Self.modeRecorder(in: sandbox, log: log, then: Self.replaceWithoutScissors)
        let before = try sandbox.changeCount()
        let refused = await sandbox.run(["annotate", "--edit", annotation.shortID], input: CLISandbox.editor(refusing))
        #expect(refused.status == 1)
        let kept = try #require(refused.keptTextFile, "\(refused.errors)")
        defer { try? FileManager.default.removeItem(atPath: kept) }
        #expect(try Self.mode(of: kept) == 0o600, "the text left behind is still the person's alone")
        #expect(try String(contentsOfFile: kept, encoding: .utf8) == "写到一半的文字\n")
        #expect(try sandbox.changeCount() == before)
        #expect(try Self.loggedModes(log) == ["600", "600"])
    }

    @Test func editHandsTheEditorAPrivateFileAndKeepsItPrivate() async throws {
        let sandbox = try await CLISandbox.initialized()
        let file = try sandbox.write("东城区.txt", text: EditCommandTests.report)
        #expect(await sandbox.run("import", file).status == 0)
        let reference = try #require(try sandbox.open().reports().first?.shortID)
        let log = sandbox.folder.appendingPathComponent("modes.log").path

        let untouched = try Self.modeRecorder(in: sandbox, log: log)
        let unchanged = await sandbox.run(["edit", reference], input: CLISandbox.editor(untouched))
        #expect(unchanged.status == 0, "\(unchanged.errors)")

        let refusing = try Self.modeRecorder(in: sandbox, log: log, then: Self.replaceWithoutScissors)
        let before = try sandbox.changeCount()
        let refused = await sandbox.run(["edit", reference], input: CLISandbox.editor(refusing))
        #expect(refused.status == 1)
        let kept = try #require(refused.keptTextFile, "\(refused.errors)")
        defer { try? FileManager.default.removeItem(atPath: kept) }
        #expect(try Self.mode(of: kept) == 0o600)
        #expect(try sandbox.changeCount() == before)
        #expect(try Self.loggedModes(log) == ["600", "600"])
    }

    @Test func resolveEditHandsTheEditorAPrivateFileAndKeepsItPrivate() async throws {
        let (a, _, annotation) = try await ConflictCommandTests.conflicted()
        let log = a.folder.appendingPathComponent("modes.log").path
        // Leaves the conflict markers in place and adds a line: refused, and the half-done merge is kept.
        let halfDone = try Self.modeRecorder(in: a, log: log, then: """
            umask 022
            { printf '%s\\n' '我的合并说明'; cat "$1"; } > "$1.new" && mv "$1.new" "$1"
            """)
        let before = try a.changeCount()
        let refused = await a.run(["resolve", annotation, "--edit"], input: CLISandbox.editor(halfDone))
        #expect(refused.status == 1)
        #expect(refused.errors.contains("conflict markers"), "\(refused.errors)")
        let kept = try #require(refused.keptTextFile, "\(refused.errors)")
        defer { try? FileManager.default.removeItem(atPath: kept) }
        #expect(try Self.mode(of: kept) == 0o600)
        #expect(try a.changeCount() == before)
        #expect(try Self.loggedModes(log) == ["600"])
    }
}
