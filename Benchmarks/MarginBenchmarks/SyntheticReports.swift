import ReportParser

/// Synthetic work reports in the genre of the seeds (a school's or bureau's yearly summary: a title, a preamble,
/// numbered sections `一、` with sub-sections `（一）`), assembled from a small phrase book by a seeded generator.
///
/// Unlike the scaled corpus, no two reports are copies of one template: titles, section counts, headings and
/// sentences vary, so a 20,000-report store has realistic spread for the title sort, the one-character index and
/// ranking. The same seed always gives the same reports.
enum SyntheticReports {
    /// `count` reports, in batches of `batchSize` (one import call each), from `seed`.
    static func corpus(count: Int, batchSize: Int, seed: UInt64 = 10) -> ScaledCorpus {
        var generator = SplitMix64(seed: seed)
        let reports = (0..<count).map { report(number: $0, &generator) }
        let batches = stride(from: 0, to: reports.count, by: batchSize).map { start in
            let batch = Array(reports[start..<min(start + batchSize, reports.count)])
            return (fileName: String(format: "synthetic_%05d.txt", start / batchSize), reports: batch)
        }
        return ScaledCorpus(batches: batches)
    }

    /// One report: the number goes into the title, so every title (and so every report identity) is distinct.
    static func report(number: Int, _ generator: inout SplitMix64) -> ParsedReport {
        let place = generator.pick(places) + generator.pick(units)
        let year = 2015 + generator.below(10)
        let kind = generator.pick(kinds)
        let title = "\(place)\(year)年\(kind)（第\(number + 1)号）"
        var sections = [ParsedSection(
            level: 0, label: "", heading: "", text: "\(title)\n" + paragraph(sentences: 2, &generator), parentIndex: nil)]
        let topLevel = 2 + generator.below(4)
        for top in 0..<topLevel {
            let heading = generator.pick(headings)
            let label = numerals[top] + "、"
            sections.append(ParsedSection(
                level: 1, label: label, heading: heading,
                text: label + heading + "\n" + paragraph(sentences: 1 + generator.below(3), &generator), parentIndex: 0))
            let parent = sections.count - 1
            for sub in 0..<generator.below(3) {
                let subheading = generator.pick(subheadings)
                let sublabel = "（" + numerals[sub] + "）"
                sections.append(ParsedSection(
                    level: 2, label: sublabel, heading: subheading,
                    text: sublabel + subheading + "。" + paragraph(sentences: 1 + generator.below(3), &generator),
                    parentIndex: parent))
            }
        }
        return ParsedReport(title: title, sections: sections)
    }

    private static func paragraph(sentences: Int, _ generator: inout SplitMix64) -> String {
        (0..<sentences).map { _ in
            generator.pick(openings) + generator.pick(actions) + "，" + generator.pick(results) + "。"
        }.joined()
    }

    private static let numerals = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]
    private static let places = [
        "东湖区", "西山县", "南岭镇", "北河市", "青石县", "白云区", "临江镇", "长宁县", "清水乡", "松林区", "玉泉镇", "金沙县",
    ]
    private static let units = [
        "教育局", "第一中学", "实验小学", "中心幼儿园", "职业学校", "教师进修学校", "卫生院", "文化馆", "民政办", "农业服务站",
    ]
    private static let kinds = [
        "工作总结", "工作计划", "年度述职报告", "教学工作总结", "师资培训总结", "安全工作报告", "党建工作总结", "督导自查报告",
    ]
    private static let headings = [
        "主要工作及成效", "存在的问题和不足", "下一步工作打算", "基本情况", "亮点和特色工作", "队伍建设", "经费使用情况",
        "教学质量提升", "安全稳定工作", "群众满意度调查", "整改落实情况", "创新举措",
    ]
    private static let subheadings = [
        "加强组织领导", "完善制度建设", "强化师德师风", "推进课程改革", "改善办学条件", "抓好宣传引导", "落实资助政策",
        "深化家校合作", "提升服务水平", "做好督查考核",
    ]
    private static let openings = [
        "全年", "本学期", "我们", "领导班子", "各科室", "全体教职工", "各村（社区）", "在上级部门的指导下", "围绕年度目标",
        "按照会议部署",
    ]
    private static let actions = [
        "组织开展专题培训十二期", "完成校舍维修改造三处", "选派骨干教师外出学习", "落实教师结对帮扶制度",
        "建立问题清单和整改台账", "开展安全隐患排查四次", "召开家长会和座谈会", "推进信息化平台建设",
        "组织师生参加技能竞赛", "完善绩效考核办法", "走访困难家庭一百余户", "修订岗位职责和工作流程",
    ]
    private static let results = [
        "取得了明显成效", "群众满意度进一步提升", "但仍存在发展不平衡的问题", "相关经验在全县推广",
        "师资结构有待优化", "各项指标均完成年度任务", "办学水平稳步提高", "整改工作全部到位", "青年教师成长较快",
        "资金使用规范透明",
    ]
}

/// A small, fast, seeded generator (SplitMix64): the same seed gives the same corpus on every machine.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `0..<bound`.
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    /// One element of a non-empty array.
    mutating func pick(_ choices: [String]) -> String { choices[below(choices.count)] }
}
