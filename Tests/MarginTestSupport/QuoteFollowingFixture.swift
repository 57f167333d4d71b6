/// A small report, in our own words, with a note's quote in section 一 that revisions move elsewhere: shared by the
/// store's and the command line's tests of notes that follow their quotes.
public enum QuoteFollowingFixture {
    /// The report's first text.
    public static let text = """
        柳河镇卫生院2025年工作总结
        本年度卫生院围绕基本医疗和公共卫生两项任务推进工作。
        一、门诊服务
        全年接诊病人四万余人次。
        新购置一台彩色超声诊断仪。
        二、公共卫生
        为辖区老人完成免费体检两千余人。
        """
    /// A later text where the quote has left section 一 and stands in two other sections.
    public static let quoteInTwoOtherSections = """
        柳河镇卫生院2025年工作总结
        本年度卫生院围绕基本医疗和公共卫生两项任务推进工作。
        一、门诊服务
        全年接诊病人四万余人次。
        二、公共卫生
        体检车上配了彩色超声诊断仪。
        三、下一步
        计划再购一台彩色超声诊断仪。
        """
    /// The quote of the note written on section 一.
    public static let quote = "彩色超声诊断仪"
}
