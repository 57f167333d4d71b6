import ArgumentParser
import Foundation
import MarginCore

/// Where a command takes a long text from: its argument, standard input (`-`), a file (`--file PATH`), or the editor.
enum TextInput {
    /// The text written as the argument.
    case argument(String)
    /// `-`: standard input, to its end.
    case standardInput
    /// `--file PATH`.
    case file(String)
    /// Neither: the person writes the text in their editor.
    case editor

    /// The source chosen by an optional text argument and an optional `--file` path.
    /// - Throws: `ValidationError` when both are given.
    static func chosen(argument: String?, file: String?) throws -> TextInput {
        switch (argument, file) {
        case (.some, .some):
            throw ValidationError("Give the text either as an argument or with --file, not both.")
        case let (nil, .some(path)):
            return .file(path)
        case (.some("-"), nil):
            return .standardInput
        case let (.some(text), nil):
            return .argument(text)
        case (nil, nil):
            return .editor
        }
    }

    /// Reads the text (the editor is the caller's business: it needs a template).
    /// - Throws: `ValidationError` (exit 64) for text that is not UTF-8; ``MarginCLIError`` for an unreadable file.
    func read() throws -> String? {
        switch self {
        case let .argument(text):
            return text
        case .standardInput:
            let input = InputEnvironment.current
            if input.standardInputIsTerminal {
                Console.current.printError("Reading the note from the terminal: type it, then press Ctrl-D on a new line.")
            }
            let data = try input.readStandardInput()
            return try Self.decode(data, from: "standard input")
        case let .file(path):
            let data = try FileContents.read(path)
            return try Self.decode(data, from: path)
        case .editor:
            return nil
        }
    }

    /// A note's text as a note may hold it: CRLF and lone CR line ends become LF (a file saved on Windows is
    /// still a note); any other control character than newline and tab is refused, naming where it is.
    /// - Throws: `ValidationError` (exit 64) for a control character.
    static func noteText(_ text: String) throws -> String {
        var scalars = String.UnicodeScalarView()
        var afterCR = false
        for scalar in text.unicodeScalars {
            defer { afterCR = scalar == "\r" }
            if scalar == "\n" && afterCR { continue }
            scalars.append(scalar == "\r" ? "\n" : scalar)
        }
        let note = String(scalars)
        guard TextRules.isText(note) else {
            let lines = note.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
            let line = lines.firstIndex { $0.contains { $0.value < 0x20 && $0 != "\t" } } ?? 0
            let control = lines[line].first { $0.value < 0x20 && $0 != "\t" }?.value ?? 0
            throw ValidationError(
                "The note holds a control character (U+\(String(format: "%04X", control)) on line \(line + 1)), which a note cannot keep; remove it and try again.")
        }
        return note
    }

    /// Decodes strict UTF-8 (without a leading byte order mark): text that is not UTF-8 is refused, never
    /// repaired with U+FFFD.
    static func decode(_ data: Data, from source: String) throws -> String {
        if let text = String(validating: data, as: UTF8.self) {
            return text.unicodeScalars.first == "\u{FEFF}" ? String(text.unicodeScalars.dropFirst()) : text
        }
        var iterator = data.makeIterator()
        var decoder = UTF8()
        var offset = 0
        decodeLoop: while true {
            switch decoder.decode(&iterator) {
            case let .scalarValue(scalar): offset += UTF8.width(scalar)
            case .emptyInput, .error: break decodeLoop
            }
        }
        let subject = source.prefix(1).uppercased() + source.dropFirst()
        throw ValidationError(
            "\(subject) is not valid UTF-8 text (the first bad byte is at offset \(offset)); convert it to UTF-8, e.g. with iconv, and try again.")
    }
}
