import Testing
@testable import MarginCore

@Suite("Following a quote into another section")
struct QuoteFollowingTests {
    let own = SectionID(rawValue: "own")
    let second = SectionID(rawValue: "second")
    let third = SectionID(rawValue: "third")

    func anchor(_ quote: String, in text: String) throws -> TextAnchor { try TextAnchor.locate(quote: quote, in: text) }

    @Test func aQuoteStillInItsSectionStays() throws {
        let anchor = try anchor("河堤加固", in: "汛前完成河堤加固工程。")
        let placed = QuoteFollowing.place(anchor, ownSection: own, ownText: "今年汛前完成河堤加固工程。") {
            [.init(id: second, text: "另一处也提到河堤加固。")]
        }
        #expect(placed == .inSection(.moved(start: anchor.start + 2, end: anchor.end + 2)))
        #expect(placed.status == "moved")
    }

    @Test func aQuoteOnceInOneOtherSectionIsFollowed() throws {
        let anchor = try anchor("河堤加固", in: "汛前完成河堤加固工程。")
        let placed = QuoteFollowing.place(anchor, ownSection: own, ownText: "汛前完成排涝站检修。") {
            [.init(id: own, text: "汛前完成排涝站检修。"), .init(id: second, text: "水利方面:河堤加固工程已完工。")]
        }
        #expect(placed == .relocated(section: second, start: 5, end: 9))
        #expect(placed.status == "relocated" && placed.relocatedSection == second)
        // Also when its own section is gone.
        #expect(QuoteFollowing.place(anchor, ownSection: own, ownText: nil) { [.init(id: second, text: "河堤加固")] }
            == .relocated(section: second, start: 0, end: 4))
    }

    @Test func aQuoteInSeveralPlacesIsOrphanedWithCandidatesInReportOrder() throws {
        let anchor = try anchor("河堤加固", in: "汛前完成河堤加固工程。")
        let sections: [QuoteFollowing.Section] = [
            .init(id: third, text: "河堤加固"), .init(id: own, text: "无关"), .init(id: second, text: "河堤加固"),
        ]
        let placed = QuoteFollowing.place(anchor, ownSection: own, ownText: "无关") { sections }
        #expect(placed == .ambiguous(candidates: [third, second]))
        #expect(placed.status == "orphaned" && placed.span == nil)
        // Twice in one other section is ambiguous too.
        #expect(QuoteFollowing.place(anchor, ownSection: own, ownText: "无关") {
            [.init(id: second, text: "河堤加固,再说河堤加固")]
        } == .ambiguous(candidates: [second]))
        // Nowhere at all: orphaned, without candidates.
        #expect(QuoteFollowing.place(anchor, ownSection: own, ownText: "无关") { [.init(id: second, text: "别的")] }
            == .inSection(.orphaned))
    }

    @Test func anApproximateMatchAtHomeYieldsOnlyToAnExactOneElsewhere() throws {
        let text = "全年新建校舍三万平方米,组织教师培训四十场。"
        let anchor = try anchor("组织教师培训四十场", in: text)
        let edited = "全年新建校舍三万平方米,组织教师培训五十场。"
        let stays = QuoteFollowing.place(anchor, ownSection: own, ownText: edited) { [.init(id: second, text: "别的")] }
        #expect(stays.status == "approximate")
        let follows = QuoteFollowing.place(anchor, ownSection: own, ownText: edited) {
            [.init(id: second, text: "组织教师培训四十场")]
        }
        #expect(follows == .relocated(section: second, start: 0, end: 9))
    }

    @Test func theOtherSectionsAreReadOnlyWhenTheQuoteLeftItsOwn() throws {
        let anchor = try anchor("河堤加固", in: "河堤加固")
        var read = false
        _ = QuoteFollowing.place(anchor, ownSection: own, ownText: "河堤加固") { read = true; return [] }
        #expect(!read)
    }
}
