"""Word lists the extractor reads: qualifiers, verbs of change, name trimming, time cues.

Constants only (tuples, frozensets, mappings); `transforms.extract` compiles them once.
"""

from __future__ import annotations

# Qualifier words written before a figure (kept in the quote) and what they mean.
PREFIX_QUALIFIERS: dict[str, str] = {
    "超过": "over",
    "超出": "over",
    "突破": "over",
    "跃上": "over",
    "不低于": "over",
    "不少于": "over",
    "多于": "over",
    "高于": "over",
    "逾": "over",
    "超": "over",
    "不超过": "under",
    "不到": "under",
    "不足": "under",
    "低于": "under",
    "少于": "under",
    "将近": "approx",
    "接近": "approx",
    "大约": "approx",
    "约": "approx",
    "近": "approx",
}

# Qualifier words written after a figure (kept in the quote).
SUFFIX_QUALIFIERS: dict[str, str] = {
    "左右": "approx",
    "上下": "approx",
    "以上": "over",
    "之上": "over",
    "以下": "under",
    "以内": "under",
    "之内": "under",
    "内": "under",
}

# Written between a number and its unit (500余场, 三千多万): more than the figure.
INNER_OVER = ("余", "多")

# A cap: 控制在4.6% is at most 4.6% unless the text qualifies it otherwise.
CAP_VERBS = ("控制在", "控制到", "压减到", "压降到")

# Verbs of change right before a figure, longest first; the value is the direction.
CHANGE_VERBS: dict[str, str] = {
    "年均增长": "up",
    "年均提高": "up",
    "年均下降": "down",
    "实际增长": "up",
    "名义增长": "up",
    "增长": "up",
    "递增": "up",
    "增产": "up",
    "增收": "up",
    "回升": "up",
    "上浮": "up",
    "增加": "up",
    "提高": "up",
    "提升": "up",
    "上升": "up",
    "上涨": "up",
    "扩大": "up",
    "净增": "up",
    "新增": "up",
    "增幅": "up",
    "增速": "up",
    "涨幅": "up",
    "提速": "up",
    "多增": "up",
    "还多": "up",
    "多出": "up",
    "高出": "up",
    "超出": "up",
    "还少": "down",
    "增": "up",
    "翻": "up",
    "下降": "down",
    "递减": "down",
    "减产": "down",
    "减收": "down",
    "下浮": "down",
    "减少": "down",
    "降低": "down",
    "压缩": "down",
    "压减": "down",
    "缩小": "down",
    "缩短": "down",
    "回落": "down",
    "下跌": "down",
    "降幅": "down",
    "减幅": "down",
    "削减": "down",
    "节约": "down",
    "降": "down",
    "减": "down",
}

# A change verb followed by one of these states a new level, not a change (升至86%).
TO_LEVEL = ("至", "到", "为")

# Words allowed between a change verb and its figure (增长了, 分别提高, 下降约).
VERB_TO_FIGURE_FILLERS = ("了", "分别", "达", "达到", "为", "都", "均", "约", "近", "超")

# Yearly amounts whose names start with 新增: the figure is a level (GUIDELINES §2).
NEW_AS_LEVEL = (
    "新增就业",
    "新增减税",
    "新增地方政府",
    "新增专项债",
    "新增债券",
    "新增贷款",
    "新增财政",
    "新增建设用地",
    "新增人民币贷款",
    "新增劳动力",
    "新增社会融资",
    "新增长",
    "新增城镇就业",
    "贷款",  # 新增工业贷款: lending in the year
    "供地",  # 新增工业项目供地: land supplied in the year
)

# A figure with % is a share when what it measures is one of these.
SHARE_WORDS = (
    "占", "比重", "比例", "占比", "份额", "覆盖", "率", "贡献", "城镇化", "普及", "达标", "合格",
    "满意度", "优良", "入学", "参保", "升学", "就业质量", "集中度", "渗透",
)  # fmt: skip

# Leading words trimmed from a name: places of the whole region, connectives, adverbs, verbs.
NAME_LEADING_TRIM = (
    "其中", "另外", "此外", "同时", "以及", "并且", "而且", "但是", "可是", "如果", "那么", "那麽", "由于",
    "因此", "所以", "这样", "而", "并", "和", "及", "与", "且", "但", "也", "又",
    "全国", "全省", "全市", "全区", "全县", "全州", "我国", "我省", "我市", "我区", "本市", "全年", "年内",
    "一年来", "五年来", "全面完成", "全面", "完成了", "完成", "实现了", "实现", "累计完成", "先后", "共计",
    "总计", "合计", "已经", "已", "还", "再", "力争", "确保", "争取", "努力", "预计", "计划", "要",
    "将", "使", "让", "把", "向", "都", "分别", "持续", "进一步", "大力",
    "积极", "组织", "新开工", "开工",
)  # fmt: skip

# Trailing words trimmed from a name: verbs and linkers between a name and its figure.
NAME_TRAILING_TRIM = (
    "分别", "达到", "达", "为", "是", "增长", "增加", "提高", "提升", "上升", "下降", "减少", "降低",
    "扩大", "缩小", "压缩", "压减", "净增", "升至", "增至", "降至", "减至", "提高到", "增长到",
    "下降到", "减少到", "达到了", "保持在", "稳定在", "控制在", "控制到", "突破", "超过", "超", "在",
    "到", "至", "由", "从", "实现", "完成", "累计", "共", "总计", "合计", "约", "近", "年均", "增幅",
    "涨幅", "降幅", "增速", "回落", "上涨", "以上", "左右", "了", "的", "已",
    "均", "都", "各", "逾", "高于", "低于", "不低于", "不超过", "有", "新增了", "仅", "只", "高出",
    "超出", "翻", "再", "拟定为", "拟定", "拟按", "可以", "能够", "即", "整合为", "整合到", "筹措", "安排了",
    "安排", "调整到", "调整为", "调整至", "降到", "升到", "增到", "减到", "提高至", "下降至", "增加到", "增加至", "减少至",
    "扩大到", "扩大至", "缩小到", "缩小至", "上升到", "上升至", "提升到", "提升至", "等于", "相当于", "大约是", "约为", "约是", "仍然", "仍", "却", "就", "也", "又", "继续", "持续", "进一步", "迈上", "跨上", "站上", "跨越", "保持", "稳定", "递增", "递减", "平均每年", "每年", "跃升", "跃升到", "跃升至", "跃居", "要", "将", "力争", "确保", "预计", "总数", "首批", "共有", "拥有", "多",
)  # fmt: skip

# Verbs that, standing alone where a name should be (惠及310多万户), take the subject before them.
VERB_ONLY_NAMES = frozenset({"惠及", "覆盖", "带动", "涉及", "受益", "吸纳", "服务", "接待", "拉动", "撬动", "辐射"})

# Nouns right after a money figure that make it a threshold inside a name (三千亿元城市, 亿元项目).
THRESHOLD_NOUNS = ("城市", "县", "企业", "项目", "级", "产业", "园区", "集群", "镇", "村", "工程", "大县", "俱乐部")

# Verbs that end a name read to the right of a count (164家基层卫生机构提档升级).
RIGHT_NAME_STOPS = (
    "实现", "进行", "完成", "建成", "通过", "获得", "获", "被", "全部", "全面", "已", "正在", "整合",
    "纳入", "达到", "入选", "参加", "参与", "落户", "投产", "开工", "竣工", "签约", "和", "及",
    "等", "共", "累计", "用于", "来自", "实行", "开展", "持续", "跻身", "入围", "位列", "进入", "成为", "分别", "基本", "顺利", "率先", "成功", "提前", "得到",
)  # fmt: skip

# The two-character verbs that, left of a count, mean the name is read to the right.
LEFT_ACTION_VERBS = (
    "完成", "建成", "新建", "建设", "实施", "推进", "开工", "新开工", "培育", "引进", "新引进", "引进了",
    "创建", "打造", "组织", "举办", "开展", "认定", "改造", "整治", "新增", "新培育", "创成", "获批",
    "出台", "制定", "签约", "落地", "投用", "启动", "帮助", "支持", "扶持", "资助", "招引", "吸引",
    "集聚", "排查", "解决", "培训", "救助", "安置", "转移", "接待", "服务", "发放", "减免", "新招引",
)  # fmt: skip

# Years of China's five-year plans, by the plan's number as written in 十X五.
FIVE_YEAR_PLANS: dict[str, tuple[int, int]] = {
    "六五": (1981, 1985),
    "七五": (1986, 1990),
    "八五": (1991, 1995),
    "九五": (1996, 2000),
    "十五": (2001, 2005),
    "十一五": (2006, 2010),
    "十二五": (2011, 2015),
    "十三五": (2016, 2020),
    "十四五": (2021, 2025),
    "十五五": (2026, 2030),
    "十六五": (2031, 2035),
}

# Plans numbered in words (第一个五年计划 1953-1957 …).
ORDINAL_PLANS: dict[str, tuple[int, int]] = {
    "一": (1953, 1957),
    "二": (1958, 1962),
    "三": (1966, 1970),
    "四": (1971, 1975),
    "五": (1976, 1980),
    "六": (1981, 1985),
    "七": (1986, 1990),
}
