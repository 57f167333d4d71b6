import Foundation
import MarginTestSupport
import ReportParser
import Testing
@testable import MarginCore
@testable import MarginStore

@Suite("A note follows its quote into another section of its report")
struct NotesFollowQuotesTests {
    static let text = QuoteFollowingFixture.text
    static let quote = QuoteFollowingFixture.quote

    /// A store holding the report with a note on section 一 quoting the ultrasound sentence.
    static func storeWithNote(author: String = "a") throws -> (MarginStore, RecordID, AnnotationView) {
        let store = try StoreTestSupport.newStore(author: author)
        let id = try #require(try store.importReports(from: Data(text.utf8), fileName: "柳河镇.txt").reports.first).id
        let note = try store.addAnnotation(on: section(store, id, "门诊服务").reference, text: "设备用途待核实", quote: quote)
        #expect(note.placement == "exact")
        return (store, id, note)
    }

    static func section(_ store: MarginStore, _ id: RecordID, _ heading: String) throws -> OutlineEntry {
        try #require(try store.outline(of: id.rawValue).sections.first { $0.heading == heading }, "no section \(heading)")
    }

    static func revise(_ store: MarginStore, _ id: RecordID, to text: String) throws {
        _ = try store.reviseReport(id, with: try EditedReport.parse(text))
    }

    /// The paragraph moved from 一 to 二.
    static let moved = """
        柳河镇卫生院2025年工作总结
        本年度卫生院围绕基本医疗和公共卫生两项任务推进工作。
        一、门诊服务
        全年接诊病人四万余人次。
        二、公共卫生
        为辖区老人完成免费体检两千余人。
        新购置一台彩色超声诊断仪。
        """

    @Test func aMovedParagraphTakesItsNoteAlong() throws {
        let (store, id, note) = try Self.storeWithNote()
        let first = try Self.section(store, id, "门诊服务")
        try Self.revise(store, id, to: Self.moved)
        let second = try Self.section(store, id, "公共卫生")

        let placed = try store.annotation(note.shortID)
        #expect(placed.placement == "relocated")
        #expect(placed.section == second.id)
        #expect(placed.sectionReference == second.reference)
        #expect(placed.movedFrom == first.id)
        #expect(placed.movedFromReference == first.reference)
        let secondText = try store.section(second.reference).text
        let span = Array(secondText.unicodeScalars)[try #require(placed.placedStart)..<(try #require(placed.placedEnd))]
        #expect(String(String.UnicodeScalarView(span)) == Self.quote)
        // It is listed on the section it followed its quote to, and is not orphaned.
        #expect(try store.section(second.reference).annotations.map(\.id) == [note.id])
        #expect(try store.section(first.reference).annotations.isEmpty)
        #expect(try store.orphanedAnnotations().isEmpty)
        let listed = try #require(try store.notes().items.first)
        #expect(listed.movedFrom == first.id && listed.movedFromReference == first.reference)
        #expect(listed.movedFromHeading == "一、门诊服务")
        #expect(listed.sectionReference == second.reference)
        // No revision was written: placement is derived.
        #expect(try store.history(of: note.shortID).count == 1)

        // Moving the paragraph back brings the note home.
        try Self.revise(store, id, to: Self.text)
        let home = try store.annotation(note.shortID)
        #expect(home.placement == "exact" && home.section == first.id && home.movedFrom == nil)
    }

    @Test func reanchoringARelocatedNoteToAQuoteKeepsItWhereItIsShown() throws {
        let (store, id, note) = try Self.storeWithNote()
        try Self.revise(store, id, to: Self.moved)
        let second = try Self.section(store, id, "公共卫生")
        // The person quotes the text of the section the note is shown on: the new revision names that section.
        let reanchored = try store.reanchorAnnotation(note.shortID, quote: "免费体检")
        #expect(reanchored.placement == "exact")
        #expect(reanchored.section == second.id && reanchored.movedFrom == nil)
        #expect(try store.history(of: note.shortID).count == 2)
    }

    @Test func aSplitSectionTakesTheNoteToTheNewHalf() throws {
        let (store, id, note) = try Self.storeWithNote()
        let first = try Self.section(store, id, "门诊服务")
        try Self.revise(store, id, to: """
            柳河镇卫生院2025年工作总结
            本年度卫生院围绕基本医疗和公共卫生两项任务推进工作。
            一、门诊服务
            全年接诊病人四万余人次。
            二、设备添置
            新购置一台彩色超声诊断仪。
            三、公共卫生
            为辖区老人完成免费体检两千余人。
            """)
        let added = try Self.section(store, id, "设备添置")
        let placed = try store.annotation(note.shortID)
        #expect(placed.placement == "relocated")
        #expect(placed.section == added.id)
        #expect(placed.movedFrom == first.id)
    }

    @Test func aQuoteStillInItsSectionStaysThereEvenWhenItIsAlsoElsewhere() throws {
        let (store, id, note) = try Self.storeWithNote()
        try Self.revise(store, id, to: Self.text + "\n三、下一步\n再添一台彩色超声诊断仪。")
        let placed = try store.annotation(note.shortID)
        #expect(placed.placement == "exact")
        #expect(placed.movedFrom == nil && placed.candidates.isEmpty)
    }

    @Test func aQuoteInSeveralOtherSectionsStaysOrphanedWithItsCandidates() throws {
        let (store, id, note) = try Self.storeWithNote()
        try Self.revise(store, id, to: QuoteFollowingFixture.quoteInTwoOtherSections)
        let second = try Self.section(store, id, "公共卫生")
        let third = try Self.section(store, id, "下一步")
        let orphan = try store.annotation(note.shortID)
        #expect(orphan.placement == "orphaned")
        #expect(orphan.movedFrom == nil)
        #expect(orphan.candidates == [second.id, third.id])
        #expect(orphan.candidateReferences == [second.reference, third.reference])
        #expect(try store.orphanedAnnotations().map(\.id) == [note.id])
        let listed = try #require(try store.notes(NoteFilter(orphaned: true)).items.first)
        #expect(listed.candidateReferences == [second.reference, third.reference])

        // A person places it: a new revision, on the chosen section's occurrence of the quote.
        let placed = try store.placeAnnotation(note.shortID, onSection: third.reference)
        #expect(placed.written)
        #expect(placed.annotation.placement == "exact")
        #expect(placed.annotation.section == third.id && placed.annotation.movedFrom == nil)
        #expect(try store.history(of: note.shortID).count == 2)
        #expect(try store.orphanedAnnotations().isEmpty)
        // Placing it there again writes nothing.
        #expect(try !store.placeAnnotation(note.shortID, onSection: third.reference).written)
    }

    @Test func placingANoteWhereItsQuoteIsNotIsRefusedAndWritesNothing() throws {
        let (store, id, note) = try Self.storeWithNote()
        let second = try Self.section(store, id, "公共卫生")
        #expect(throws: MarginStoreError.self) { try store.placeAnnotation(note.shortID, onSection: second.reference) }
        let other = try #require(try store.importReports(from: Data(ReportConflictTests.text.utf8), fileName: "松林县.txt").reports.first).id
        let foreign = try #require(try store.outline(of: other.rawValue).sections.last).reference
        #expect(throws: MarginStoreError.self) { try store.placeAnnotation(note.shortID, onSection: foreign) }
        #expect(try store.history(of: note.shortID).count == 1)
        #expect(try store.annotation(note.shortID).section == Self.section(store, id, "门诊服务").id)
    }

    @Test func twoPeersPlaceTheMovedNoteAlikeWhateverOrderTheRevisionsArriveIn() throws {
        let (a, id, note) = try Self.storeWithNote(author: "a")
        let b = try StoreTestSupport.newStore(author: "b")
        try ReceivedRevisionTests.copy(from: a, to: b)
        // Concurrently: a moves the paragraph, b edits the note.
        try Self.revise(a, id, to: Self.moved)
        try b.editAnnotation(note.shortID, text: "设备用途待核实,询问院长")
        // c learns everything from b after b synced with a.
        try ConflictTests.exchange(a, b)
        let c = try StoreTestSupport.newStore(author: "c")
        try ReceivedRevisionTests.copy(from: b, to: c)
        let views = try [a, b, c].map { try $0.annotation(note.id.rawValue) }
        for view in views {
            #expect(view.placement == "relocated")
            #expect(view.text == "设备用途待核实,询问院长")
            #expect(view.section == views[0].section && view.movedFrom == views[0].movedFrom)
            #expect(view.placedStart == views[0].placedStart && view.placedEnd == views[0].placedEnd)
        }
        #expect(try views[0].section == Self.section(a, id, "公共卫生").id)

        // A note placed by hand on one peer is placed so on the others after a sync.
        try Self.revise(a, id, to: Self.moved + "\n三、下一步\n计划再购一台彩色超声诊断仪。")
        try ConflictTests.exchange(a, b)
        #expect(try b.annotation(note.id.rawValue).placement == "orphaned")
        let third = try Self.section(b, id, "下一步")
        _ = try b.placeAnnotation(note.shortID, onSection: third.reference)
        try ConflictTests.exchange(a, b)
        for store in [a, b] {
            let view = try store.annotation(note.id.rawValue)
            #expect(view.placement == "exact" && view.section == third.id)
        }
    }
}
