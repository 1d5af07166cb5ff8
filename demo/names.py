"""The long Chinese name lists of the demo: enterprises and their lines of business, unit names, positions, people."""

from branches.models import Member

# One unit = seed document 003. The root and its own 机关党支部 exist once; the rest repeats per unit.
UNIT_BRANCHES = 286
UNIT_MEMBERS = 4179
ROOT_BRANCH_MEMBERS = 15

# (name core, short name, business line, weight for the share of branches, 党总支 count, has a second-level 党委)
# Businesses from seed 003: 园区建设与管理、投融资服务、城市更新及管理、养老服务、物业管理、社区商业. Weights give
# 285 enterprise branches; 6 second-level 党委 + 14 enterprise 党委 + the root = 21 党委; 15 党总支.
ENTERPRISES = [
    ("城建投资集团", "城建集团", "construction", 30, 3, "建设工程有限公司"),
    ("公交集团", "公交集团", "transit", 28, 2, "巴士一公司"),
    ("物业管理集团", "物业集团", "property", 24, 2, "物业服务有限公司"),
    ("水务集团", "水务集团", "water", 22, 2, "供水有限公司"),
    ("城市更新集团", "城市更新集团", "construction", 20, 1, "城市更新建设有限公司"),
    ("商业集团", "商业集团", "commerce", 18, 1, "百货有限公司"),
    ("园区建设发展集团", "园区集团", "park", 16, 1, None),
    ("市容环卫集团", "环卫集团", "sanitation", 16, 1, None),
    ("国有资产经营集团", "国资经营集团", "finance", 14, 1, None),
    ("养老服务集团", "养老集团", "care", 14, 1, None),
    ("置业集团", "置业集团", "property", 12, 0, None),
    ("文化旅游发展集团", "文旅集团", "commerce", 10, 0, None),
    ("融资担保有限公司", "融资担保公司", "finance", 6, 0, None),
    ("科技创新投资有限公司", "科创投资公司", "finance", 5, 0, None),
]

REGIONS = "滨江 东湖 西城 南湖 北岸 临港 青山 云溪 金沙 龙湖 翠屏 望江 新港 石门 桃源".split()
REGION_A, REGION_B = "东西南北金银青云龙凤江河湖山松柏", "湖城港山川岭溪林桥塘"

# 机关 branches every enterprise has first, then units named after the line of business ("{n}" is a Chinese numeral).
OFFICE_UNITS = ["机关第一", "机关第二", "财务部", "综合办公室", "人力资源部", "党群工作部", "投资发展部", "审计法务部"]
LINE_UNITS = {
    "construction": ["第{n}项目部", "工程管理部", "设计院", "第{n}工程处", "安全质量部", "预算合约部"],
    "transit": ["第{n}车队", "修理厂", "调度中心", "场站管理部", "第{n}营运分公司", "票务中心"],
    "property": ["第{n}物业服务中心", "工程维修部", "客户服务中心", "第{n}物业项目部", "安保管理部"],
    "water": ["第{n}水厂", "管网管理所", "水质监测中心", "第{n}营业所", "排水管理所", "泵站管理部"],
    "commerce": ["第{n}门店", "招商运营部", "商场管理部", "市场营销部", "第{n}经营部", "物流配送中心"],
    "park": ["第{n}园区", "招商服务中心", "园区运营部", "工程建设部", "企业服务部"],
    "sanitation": ["第{n}环卫所", "道路保洁中心", "垃圾分类中心", "第{n}作业队", "车辆管理部"],
    "finance": ["投资管理部", "风险控制部", "资产管理部", "第{n}业务部", "金融服务部"],
    "care": ["第{n}养老院", "社区照护中心", "护理部", "第{n}日间照料中心", "医养结合部"],
}
LINE_GENERAL_BRANCHES = {
    "construction": ["第{n}分公司", "工程事业部"],
    "transit": ["第{n}营运公司", "保修事业部"],
    "property": ["第{n}物业分公司"],
    "water": ["供水事业部", "排水事业部"],
    "commerce": ["零售事业部"],
    "park": ["园区运营事业部"],
    "sanitation": ["作业事业部"],
    "finance": ["投资事业部"],
    "care": ["养老事业部"],
}
LINE_POSITIONS = {
    "construction": ["工程师", "项目经理", "施工员", "安全员", "预算员", "技术员", "质量员", "资料员"],
    "transit": ["驾驶员", "调度员", "维修工", "安全员", "站务员", "车队长"],
    "property": ["物业管家", "维修工", "客服专员", "项目经理", "保安主管"],
    "water": ["水质检测员", "管网维修工", "工程师", "泵站运行工", "抄表员"],
    "commerce": ["营业员", "店长", "招商专员", "营销专员", "采购员"],
    "park": ["招商专员", "工程师", "运营专员", "企业服务专员"],
    "sanitation": ["保洁员", "驾驶员", "班组长", "调度员", "设备维修工"],
    "finance": ["投资经理", "风控专员", "会计", "分析师", "客户经理"],
    "care": ["护理员", "护士", "社工", "康复师", "营养师"],
}
OFFICE_POSITIONS = "会计 出纳 财务经理 办公室主任 行政专员 人力资源专员 党务专员 法务专员 审计员 部门经理".split()

# Common surnames, most frequent first (weights fall off with rank); a few compound surnames.
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
COMPOUND_SURNAMES = ["欧阳", "司马", "上官", "诸葛"]
MALE_CHARS = "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆旭宁龙林洋峰建国志文海东亮成晨博阳立新振兴德庆荣"
FEMALE_CHARS = "芳娜敏静丽艳娟霞燕玲婷雪慧莹颖琳洁倩晶红梅萍云秀兰琴英丹蕾欣怡悦佳薇璐月春媛"
MINORITIES = "回族 满族 蒙古族 壮族 土家族 苗族 朝鲜族 彝族 维吾尔族 藏族 侗族 布依族".split()
# 6-digit 行政区划代码 of where members were born (varied, so ID numbers look like a real roster).
REGION_CODES = (
    "310101 310104 310105 310106 310107 310110 310115 320102 320106 320205 320583 330102 330106 330203 "
    "340102 340104 350102 360102 370102 370202 410102 420102 420106 430102 440103 440305 500103 510104 "
    "510107 610102 110101 110105 120101 130102 140105 210102 220102 230102 450102 530102"
).split()
PHONE_PREFIXES = "138 139 137 136 135 150 151 158 159 186 187 188 189 180 133 153 177 199 166".split()
EDUCATION = list(Member.Education.values)

# Warning cases per unit (支部工作条例 第五、八、九条): each kind of formation warning shows up a handful of times.
SMALL_BRANCHES = 18  # 3-6 members, no committee (lawful)
TOO_FEW_BRANCHES = 4  # 2 正式党员: too_few
NO_COMMITTEE_BRANCHES = 4  # 8-12 正式党员 but no committee: no_committee
VACANT_SECRETARY_BRANCHES = 4  # committee without a 书记: no_secretary
# Term states (关于党的基层组织任期的意见; reminders 6/3/1 months before expiry), with their weights.
TERM_STATES = [("ok", 75), ("m6", 8), ("m3", 5), ("m1", 3), ("overdue", 6), ("extended", 3)]
