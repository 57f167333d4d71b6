import Testing

@testable import PostgresRevisionStore

/// Which log position a replica must have replayed, from samples of the primary's taken at given instants.
@Suite("A bound on a replica's lag")
struct ReplicaLagBoundTests {
    let start = ContinuousClock.now

    func at(_ milliseconds: Int) -> ContinuousClock.Instant { start.advanced(by: .milliseconds(milliseconds)) }

    @Test func samplesAreDueOncePerIntervalAndTheIntervalFitsTwiceInTheBound() {
        let bound = ReplicaLagBound(maximum: .seconds(5))
        #expect(bound.sampleInterval == .seconds(1))
        #expect(ReplicaLagBound(maximum: .milliseconds(500)).sampleInterval == .milliseconds(250))
        #expect(bound.needsSample(at: at(0)), "no sample yet")
        bound.record(100, at: at(0))
        #expect(!bound.needsSample(at: at(999)))
        #expect(bound.needsSample(at: at(1_000)))
    }

    @Test func theRequiredPositionIsTheOldestSampleWithinTheBound() {
        let bound = ReplicaLagBound(maximum: .seconds(5))
        #expect(bound.requiredPosition(at: at(0)) == nil)
        bound.record(100, at: at(0))
        bound.record(200, at: at(1_000))
        bound.record(300, at: at(2_000))
        // Everything committed 5 s ago: the sample taken then, not a newer one.
        #expect(bound.requiredPosition(at: at(5_000)) == 100)
        #expect(bound.requiredPosition(at: at(5_500)) == 200)
        #expect(bound.requiredPosition(at: at(7_000)) == 300)
        // Past every sample's reach: nothing left to require until the next sample, which a pull takes first.
        #expect(bound.requiredPosition(at: at(7_001)) == nil)
    }

    @Test func afterAQuietSpellTheFreshSampleIsRequired() {
        let bound = ReplicaLagBound(maximum: .seconds(5))
        bound.record(100, at: at(0))
        // A minute without pulls: the next pull samples first, and old samples are forgotten.
        #expect(bound.needsSample(at: at(60_000)))
        bound.record(900, at: at(60_000))
        #expect(bound.requiredPosition(at: at(60_010)) == 900, "strict, never staler than the bound")
    }

    @Test func aChangeOfStateIsNotedOnce() {
        let bound = ReplicaLagBound(maximum: .seconds(5))
        #expect(!bound.noteBehind(false))
        #expect(bound.noteBehind(true))
        #expect(!bound.noteBehind(true))
        #expect(bound.noteBehind(false))
    }
}
