import Testing
@testable import MarginCore

@Suite("Deterministic identities")
struct IdentityTests {
    @Test func reportIdentityDependsOnTitleAndOccurrenceOnly() {
        #expect(Identity.report(title: "篇一:总结") == Identity.report(title: "篇一:总结"))
        #expect(Identity.report(title: "篇一:总结") != Identity.report(title: "篇二:总结"))
        #expect(Identity.report(title: "总结", occurrence: 1) != Identity.report(title: "总结", occurrence: 2))
        #expect(Identity.report(title: "x").rawValue.count == Identity.length)
    }

    @Test func sectionIdentityFollowsTheHeadingPathNotTheNumbering() {
        let report = Identity.report(title: "t")
        let a = Identity.section(report: report, headingPath: ["工作回顾", "师资"])
        #expect(a == Identity.section(report: report, headingPath: ["工作回顾", "师资"]))
        #expect(a != Identity.section(report: report, headingPath: ["工作回顾师资"]))
        #expect(a != Identity.section(report: report, headingPath: ["工作回顾", "师资"], occurrence: 2))
        #expect(Identity.preamble(report: report) != Identity.preamble(report: Identity.report(title: "u")))
    }

    @Test func tagRecordIsSharedByEveryPeer() {
        let section = SectionID(rawValue: "s")
        #expect(Identity.tag("重点", on: section) == Identity.tag("重点", on: section))
        #expect(Identity.tag("重点", on: section) != Identity.tag("其他", on: section))
    }

    @Test func annotationIdentityIsUniquePerOriginAndCounter() {
        let a = Identity.annotation(origin: PeerID(rawValue: "p"), counter: 1)
        #expect(a != Identity.annotation(origin: PeerID(rawValue: "p"), counter: 2))
        #expect(a != Identity.annotation(origin: PeerID(rawValue: "q"), counter: 1))
    }

    @Test func randomPeerIDsAreSixteenHexDigits() {
        let id = PeerID.random()
        #expect(id.rawValue.count == 16)
        #expect(id.rawValue.allSatisfy { $0.isHexDigit })
        #expect(id != PeerID.random())
    }
}
