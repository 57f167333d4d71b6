import Foundation
import MarginStore

/// Small text helpers shared by the commands' human-readable output.
enum Formatting {
    /// Who vouches for a revision, as printed after its author: ` (alice ✓)` (a verified key of account alice, or this
    /// store's own key once a server named its account), ` (key 79b5562e8fe654f9 ✓)` (a verified key the server named
    /// no account for), ` (unsigned)`, or nothing for this store's own revisions before a server named its account.
    static func signer(_ signer: RevisionSigner?) -> String {
        guard let signer else { return "" }
        switch signer.status {
        case .thisStore: return signer.account.map { " (\($0) ✓)" } ?? ""
        case .verified: return " (" + (signer.account ?? "key " + (signer.key?.short ?? "?")) + " ✓)"
        case .unsigned: return " (unsigned)"
        }
    }

    /// Local date and time to the minute, e.g. `2026-11-25 21:40`.
    static func time(_ milliseconds: Int64) -> String {
        minuteFormatter.string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
    }

    /// ISO 8601 UTC timestamp with milliseconds, e.g. `2026-11-25T21:49:42.123Z`: the one form of every time in
    /// `--json` output (see ``Timestamp``).
    static func isoTime(_ milliseconds: Int64?) -> String? {
        milliseconds.map { Timestamp(milliseconds: $0).iso8601 }
    }

    // Made once: setting a formatter up costs far more than formatting (a section with hundreds of notes printed
    // its times in tens of milliseconds). Formatters are safe to share once configured.
    private static let minuteFormatter: DateFormatter = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter
    }()

    /// A count with its noun, singular or plural: `1 report`, `2 reports`, `0 reports` (irregular plurals given).
    static func count(_ value: some BinaryInteger, _ singular: String, _ plural: String? = nil) -> String {
        "\(value) " + (value == 1 ? singular : plural ?? singular + "s")
    }

    /// Bytes as megabytes with one decimal: `184.6 MB`.
    static func megabytes(_ bytes: Int64) -> String {
        let tenths = (bytes * 10 + 500_000) / 1_000_000
        return "\(tenths / 10).\(tenths % 10) MB"
    }

    /// Text cut to a number of characters, on one line.
    static func clip(_ text: String, _ length: Int) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: " ")
        return flat.count > length ? String(flat.prefix(length - 1)) + "…" : flat
    }

    /// Display width in terminal columns: East Asian wide characters take two.
    static func width(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { total, scalar in
            total + (scalar.properties.isEmojiPresentation || isWide(scalar) ? 2 : 1)
        }
    }

    /// Pads to a display width.
    static func pad(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - Self.width(text)))
    }

    private static func isWide(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
            0xFFE0...0xFFE6, 0x20000...0x3FFFD:
            return true
        default:
            return false
        }
    }

    /// ANSI reverse video, for highlighting a quoted span on a terminal.
    static func highlight(_ text: String) -> String { "\u{1B}[7m" + text + "\u{1B}[0m" }
}
