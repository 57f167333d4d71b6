import MarginCore
import Testing

@Suite struct SaturatingSumTests {
    @Test func sumsAsPlainAdditionWhileItFits() {
        #expect([Int64]().saturatingSum() == 0)
        #expect([1, 2, 3, 4].saturatingSum() == 10)
        #expect([Int64.max - 1, 1].saturatingSum() == .max)
    }

    @Test func stopsAtTheLargestValueInsteadOfOverflowing() {
        let highest = Int64(1) << 53 - 1
        #expect(Array(repeating: highest, count: 1_100).saturatingSum() == .max)
        #expect([Int64.max, 1, 1].saturatingSum() == .max)
        #expect([Int64.max, Int64.max].saturatingSum() == .max)
    }
}
