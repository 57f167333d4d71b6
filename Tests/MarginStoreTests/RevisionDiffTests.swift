import Testing
@testable import MarginStore

@Suite("The lines history --diff shows for a changed text")
struct RevisionDiffTests {
    @Test("removed lines come in the order of the text, before the lines that replace them")
    func removalsInTextOrder() {
        #expect(RevisionDiff.lineChanges("#重点 第一行\n第二行", "") == ["- #重点 第一行", "- 第二行"])
        #expect(RevisionDiff.lineChanges("甲\n乙\n丙\n丁", "甲\n戊\n丁") == ["- 乙", "- 丙", "+ 戊"])
        #expect(
            RevisionDiff.lineChanges("一\n二\n三\n四\n五", "一\n二改\n三\n四改\n五")
                == ["- 二", "+ 二改", "- 四", "+ 四改"])
    }

    @Test("an empty text has no lines: a first text or a cleared one shows no empty line")
    func emptyTextHasNoLines() {
        #expect(RevisionDiff.lineChanges("", "新写的\n两行") == ["+ 新写的", "+ 两行"])
        #expect(RevisionDiff.lineChanges("一行", "") == ["- 一行"])
        #expect(RevisionDiff.lineChanges("", "") == [])
        #expect(RevisionDiff.lineChanges("同\n样", "同\n样") == [])
    }

    @Test("deleting an annotation and restoring it: the lines go, and come back marked restored")
    func deleteAndRestore() throws {
        let store = try StoreTestSupport.seededStore()
        let section = try AnnotationAndTagTests.firstHeadingSection(store)
        let added = try store.addAnnotation(on: section.reference, text: "#重点 第一行\n第二行")
        _ = try store.deleteAnnotation(added.id.rawValue)
        _ = try store.restoreAnnotation(added.id.rawValue)

        let entries = try store.history(of: added.id.rawValue, diff: true)
        #expect(entries.map(\.changes) == [
            ["+ created"],
            ["- #重点 第一行", "- 第二行", "(deleted)"],
            ["(restored)", "+ #重点 第一行", "+ 第二行"],
        ])
    }
}
