import ArgumentParser
import Foundation
import MarginCore

/// Lets a person write text in their editor, as `git commit` does: the file holds the text to edit, then a
/// scissors line, then instructions. Everything above the scissors is kept exactly as saved, lines starting with
/// `#` included (notes often begin with `#tag`); everything below it is ignored.
enum EditorSession {
    /// The line that separates what a person writes from the instructions below it.
    static let scissors = "# ------------------------ >8 ------------------------"

    /// The file `edit` opens: `text`, the scissors line, and `instructions` (each line marked with `#`).
    static func template(_ text: String, instructions: [String]) -> String {
        // An empty text still gets its own first line, where the person starts writing (as in git commit).
        let body = text.hasSuffix("\n") ? text : text + "\n"
        let notes = ["Do not modify or remove the line above.", "Everything below it will be ignored."] + instructions
        return ([body + scissors] + notes.map { $0.isEmpty ? "#" : "# " + $0 }).joined(separator: "\n") + "\n"
    }

    /// Opens the editor on `template(text, instructions:)` and hands what was saved above the scissors line to `use`.
    ///
    /// The file is the person's alone (mode 0600, see ``EditorScratchFile``). When the saved text cannot be used
    /// (`use` throws, or the scissors line is gone), the file stays where it is, still 0600, and standard error says
    /// where, so that nothing the person wrote is lost.
    /// - Parameter alternatives: what the person can do instead when no editor can be opened, e.g.
    ///   "pass the text as an argument".
    /// - Throws: `ValidationError` (exit 64) when there is no editor to open, or the saved file is not UTF-8;
    ///   ``MarginCLIError`` when the editor fails or the scissors line is gone; whatever `use` throws.
    static func edit<Result>(
        _ text: String, instructions: [String], alternatives: String, then use: (String) throws -> Result
    ) throws -> Result {
        let environment = InputEnvironment.current
        let editor = try chooseEditor(environment, alternatives: alternatives)
        let file = try EditorScratchFile.create(holding: template(text, instructions: instructions))
        var keepFile = false
        defer { if !keepFile { try? FileManager.default.removeItem(at: file) } }
        try run(editor, on: file, environment: environment)
        let data = try FileContents.read(file.path)
        let saved = try TextInput.decode(data, from: "the saved file")
        do {
            return try use(try keptText(saved))
        } catch {
            let written = lines(of: saved).prefix { $0.trimmingWhiteSpace() != scissors }
            if written.contains(where: { !$0.allSatisfy(\.isWhitespace) }) && saved != template(text, instructions: instructions) {
                keepFile = true
                EditorScratchFile.makePrivate(file)
                Console.current.printError("Your text is kept in \(file.path).")
            }
            throw error
        }
    }

    /// What a saved file holds above its last scissors line, verbatim.
    static func keptText(_ saved: String) throws -> String {
        var savedLines = lines(of: saved)
        // The last scissors line is the one the template wrote; one above it can only be the person's own text.
        guard let cut = savedLines.lastIndex(where: { $0.trimmingWhiteSpace() == scissors }) else {
            throw MarginCLIError.nothingWritten(
                reason: "the saved file lost its scissors line (\(scissors)), so where the text ends is unclear")
        }
        savedLines.removeSubrange(cut...)
        return savedLines.joined(separator: "\n")
    }

    /// The lines of `text`, split at every U+000A, so that a line saved with CRLF keeps its CR (and "\r\n", one
    /// `Character`, still ends a line); joined with "\n", they give `text` back exactly.
    static func lines(of text: String) -> [String] {
        text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { String(String.UnicodeScalarView($0)) }
    }

    /// `$VISUAL`, else `$EDITOR`, else `vi` when standard input is a terminal.
    static func chooseEditor(_ environment: InputEnvironment, alternatives: String) throws -> String {
        for name in ["VISUAL", "EDITOR"] {
            if let editor = environment.variables[name], !editor.trimmingSpaces().isEmpty { return editor }
        }
        guard environment.standardInputIsTerminal else {
            throw ValidationError("No editor to open: $VISUAL and $EDITOR are unset and standard input is not a terminal; \(alternatives).")
        }
        return "vi"
    }

    /// Runs the editor command through the shell (it may carry arguments, like `code --wait`) on `file`.
    private static func run(_ editor: String, on file: URL, environment: InputEnvironment) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "\(editor) \"$0\"", file.path]
        // The editor sees the command's variables over the process's own (which hold PATH and the like).
        process.environment = ProcessInfo.processInfo.environment.merging(environment.variables) { _, chosen in chosen }
        do {
            try process.run()
        } catch {
            throw MarginCLIError.editorFailed("\(error)")
        }
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw MarginCLIError.editorFailed("\(editor) exited with status \(process.terminationStatus)")
        }
    }
}
