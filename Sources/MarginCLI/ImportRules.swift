import ArgumentParser
import Foundation
import ReportParser

/// The rules an import reads pages with: every `--rules` file in the order given, then the store's own rules
/// file when there is one, then the standard rules. The first rule that matches a line decides what it is.
struct ImportRules {
    /// One file of rules that was read, and how many rules it held.
    struct Source: Codable, Equatable {
        /// The file's path as given, `rules.txt` inside the store, or `standard`.
        var source: String
        /// How many rules it holds.
        var rules: Int
    }

    /// All rules, in the order they are tried.
    var rules: FurnitureRules
    /// Where they came from, in the same order.
    var sources: [Source]

    /// The name of a store's rules file, inside the store folder.
    static let storeFileName = "rules.txt"

    /// The rules file of the store at `storePath`.
    static func storeFile(_ storePath: String) -> String {
        (storePath as NSString).appendingPathComponent(storeFileName)
    }

    /// Reads `files`, then the store's rules file if it exists, and puts the standard rules last.
    /// - Throws: `ValidationError` (exit 64) naming the file and line of the first line that is not a rule, or a
    ///   file that cannot be read.
    static func load(files: [String], storePath: String) throws -> ImportRules {
        var rules: [FurnitureRule] = []
        var sources: [Source] = []
        let storeFile = storeFile(storePath)
        let paths = files + (FileManager.default.fileExists(atPath: storeFile) ? [storeFile] : [])
        for path in paths {
            guard let data = try? FileContents.read(path) else {
                throw ValidationError("Cannot read the rules file \(path); check the path and its permissions.")
            }
            do {
                let read = try FurnitureRules.parse(data: data, source: path)
                rules += read.rules
                sources.append(Source(source: path, rules: read.rules.count))
            } catch {
                throw ValidationError(error.description)
            }
        }
        sources.append(Source(source: "standard", rules: FurnitureRules.standard.rules.count))
        return ImportRules(rules: FurnitureRules(rules + FurnitureRules.standard.rules), sources: sources)
    }

    /// The commented template `margin init` writes as the store's rules file.
    static let template = #"""
        # Import rules of this store. Every `margin import` into this store reads them, after the files
        # given with --rules and before the standard rules; the first rule that matches a line decides it.
        #
        # One rule a line:  ROLE KIND PATTERN [max=N]      (lines starting with # are comments)
        #
        #   ROLE     chrome            site furniture, dropped wherever it is on the page
        #            trailer           a related-articles heading: it and every line after it, up to the next
        #                              report marker (篇二:, 【篇二】, 第2篇), are dropped; its KIND is regex
        #            metadata          time, source, author … lines: dropped only right after a title
        #            collectionHeader  the header of a page of several reports (…(通用3篇)): never a report
        #            documentName      the document name of a preview page (…总结.docx): dropped, and the
        #                              title of a page without a title line
        #            text              report text, never furniture: keeps a line a standard rule would drop
        #   KIND     prefix            the line starts with PATTERN
        #            contains          the line contains PATTERN
        #            containsAny       the line contains one of PATTERN's |-separated phrases
        #            regex             the regular expression PATTERN (ICU syntax) matches in the line
        #   PATTERN  the rest of the line; lines are matched without their leading and trailing spaces
        #   max=N    optional, last: lines longer than N characters never match the rule
        #
        # To see how a page is read, and which rule dropped each line:  margin import --dry-run FILE
        #
        # Examples (remove the # in front of a rule to use it):
        # chrome contains 免责声明
        # chrome containsAny 分享到|收藏本文 max=40
        # metadata regex ^(作者|编辑)\s*[:：]
        # trailer regex ^相关文章
        # text prefix 来源：

        """#
}
