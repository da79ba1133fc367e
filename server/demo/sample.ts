import type { Focus, Goal, Status, Tier, VisitMode } from '../../src/lib/domain/model.ts';

/** A research visit of the demo, dated by days after the campaign's start. */
export interface SampleVisit {
	county: string;
	daysAfterStart: number;
	mode: VisitMode;
	leader: string;
	participants: string;
	topics: Focus[];
	summary: string;
}

/** Seven visits: 海港区 and 抚宁区 visited twice by their leaders, the others not yet enough. */
export const SAMPLE_VISITS: SampleVisit[] = [
	{
		county: 'haigang',
		daysAfterStart: 20,
		mode: 'on-site',
		leader: '孙宝旗',
		participants: '孙宝旗、武威、张鑫',
		topics: ['new-employment', 'quality-of-life'],
		summary: '走访外卖站点和工人文化宫，与骑手代表座谈。'
	},
	{
		county: 'haigang',
		daysAfterStart: 150,
		mode: 'phone',
		leader: '孙宝旗',
		participants: '孙宝旗、张鑫',
		topics: ['new-employment'],
		summary: '电话了解骑手建会进展。'
	},
	{
		county: 'shanhaiguan',
		daysAfterStart: 25,
		mode: 'on-site',
		leader: '张安华',
		participants: '张安华、赵勇、刘越',
		topics: ['labour-security', 'organization'],
		summary: '调研景区季节性用工权益保障。'
	},
	{
		county: 'funing',
		daysAfterStart: 40,
		mode: 'video',
		leader: '李光',
		participants: '李光、孔铁军、陈会莹',
		topics: ['industrial-workers'],
		summary: '视频调度产业工人队伍建设改革试点。'
	},
	{
		county: 'funing',
		daysAfterStart: 200,
		mode: 'on-site',
		leader: '李光',
		participants: '李光、陈会莹',
		topics: ['labour-security'],
		summary: '实地督导农民工欠薪处置。'
	},
	{
		county: 'qinglong',
		daysAfterStart: 35,
		mode: 'on-site',
		leader: '陈勇琿',
		participants: '陈勇琿、陈静、金龙飞',
		topics: ['organization', 'quality-of-life'],
		summary: '深入山区乡镇调研建会难题和困难职工帮扶。'
	},
	{
		county: 'lulong',
		daysAfterStart: 60,
		mode: 'video',
		leader: '刘力恺',
		participants: '刘力恺、王宏亮',
		topics: ['quality-of-life'],
		summary: '联系人视频了解爱心妈妈小屋建设（联系领导尚未走访）。'
	}
];

/** One problem of the demo campaign: what a visit to a county union might really find. */
export interface SampleProblem {
	county: string;
	title: string;
	description: string;
	tier: Tier;
	status: Status;
	focus: Focus;
	goal?: Goal;
	measures: [string, boolean][];
	owner: string;
	coOwners: string[];
	assignee: string;
	leader: string;
	/** Days from the demo's "today" (negative: in the past). */
	dueInDays: number | null;
	notes: string[];
}

const p = (
	county: string,
	title: string,
	tier: Tier,
	status: Status,
	focus: Focus,
	goal: Goal | undefined,
	dueInDays: number | null,
	owner: string,
	assignee: string,
	leader: string,
	measures: [string, boolean][],
	description = '',
	coOwners: string[] = [],
	notes: string[] = []
): SampleProblem => ({
	county,
	title,
	description,
	tier,
	status,
	focus,
	goal,
	measures,
	owner,
	coOwners,
	assignee,
	leader,
	dueInDays,
	notes
});

/** About forty problems over the seven counties, every tier, status, theme and goal. */
export const SAMPLE_PROBLEMS: SampleProblem[] = [
	p(
		'haigang',
		'外卖骑手流动性大，建会入会率低',
		'party-gov',
		'in-progress',
		'new-employment',
		'organizational',
		20,
		'海港区总工会',
		'张鑫',
		'孙宝旗',
		[
			['摸清辖区平台企业和站点底数', true],
			['提请区委将新就业形态劳动者建会纳入议事日程', true],
			['推动平台企业建立工会联合会', false]
		],
		'辖区外卖骑手约 3200 人，入会率不足 30%，站点分散、人员流动快。',
		['区人社局', '区市场监管局'],
		['已向区委通报，区委常委会 11 月研究']
	),
	p(
		'haigang',
		'工人文化宫场地老化，维修经费不足',
		'union-system',
		'in-progress',
		'quality-of-life',
		'service',
		45,
		'市总工会财务部',
		'武威',
		'孙宝旗',
		[
			['编制维修改造预算', true],
			['申请市总工会专项资金 ¥300,000', true],
			['完成主体维修', false]
		],
		'文化宫建于 1987 年，屋面漏水，消防设施不达标。',
		['海港区总工会'],
		['市总工会已批复 30 万元专项资金']
	),
	p(
		'haigang',
		'户外劳动者服务站点分布不均',
		'county-self',
		'open',
		'quality-of-life',
		'service',
		60,
		'海港区总工会',
		'张鑫',
		'孙宝旗',
		[
			['梳理现有 18 个站点使用情况', false],
			['在港区、火车站周边新增站点', false]
		]
	),
	p(
		'haigang',
		'部分非公企业职代会流于形式',
		'county-self',
		'resolved',
		'organization',
		'institutional',
		-5,
		'海港区总工会',
		'张鑫',
		'孙宝旗',
		[
			['开展职代会规范化建设培训', true],
			['抽查 20 家企业职代会记录', true]
		],
		'',
		[],
		['完成抽查，整改 6 家']
	),
	p(
		'haigang',
		'职工心理健康服务缺少专业人员',
		'unsorted',
		'open',
		'quality-of-life',
		undefined,
		null,
		'',
		'',
		'孙宝旗',
		[]
	),
	p(
		'haigang',
		'快递企业集体协商覆盖面窄',
		'party-gov',
		'open',
		'new-employment',
		'institutional',
		-12,
		'海港区总工会',
		'张鑫',
		'孙宝旗',
		[['召开快递行业集体协商要约会', false]],
		'',
		['区邮政管理局']
	),
	p(
		'shanhaiguan',
		'景区季节性用工劳动权益保障薄弱',
		'party-gov',
		'in-progress',
		'labour-security',
		'effectiveness',
		30,
		'山海关区总工会',
		'刘越',
		'张安华',
		[
			['联合区文旅局开展专项检查', true],
			['推动景区企业签订劳动合同', false]
		],
		'旅游旺季临时工约 1500 人，多数未签劳动合同。',
		['区文旅局', '区人社局']
	),
	p(
		'shanhaiguan',
		'区总工会专职工作人员仅 3 名',
		'union-system',
		'open',
		'organization',
		'organizational',
		90,
		'市总工会组织部',
		'赵勇',
		'张安华',
		[
			['争取公益性岗位 2 个', false],
			['招聘社会化工会工作者', false]
		]
	),
	p(
		'shanhaiguan',
		'职工书屋图书陈旧、利用率低',
		'county-self',
		'closed',
		'quality-of-life',
		'political',
		-40,
		'山海关区总工会',
		'刘越',
		'张安华',
		[
			['更新图书 2000 册', true],
			['开展职工读书月活动', true]
		],
		'',
		[],
		['回访职工满意']
	),
	p(
		'shanhaiguan',
		'乡镇工会女职工组织不健全',
		'county-self',
		'in-progress',
		'organization',
		'organizational',
		5,
		'山海关区总工会',
		'刘越',
		'张安华',
		[['各乡镇建立女职工委员会', false]]
	),
	p(
		'shanhaiguan',
		'劳模宣传阵地缺乏',
		'unsorted',
		'open',
		'industrial-workers',
		'political',
		null,
		'',
		'',
		'张安华',
		[]
	),
	p(
		'beidaihe',
		'旅游服务业新就业形态劳动者入会难',
		'party-gov',
		'open',
		'new-employment',
		'organizational',
		50,
		'北戴河区总工会',
		'',
		'',
		[['摸底民宿、餐饮从业人员', false]],
		'',
		['区旅游局']
	),
	p(
		'beidaihe',
		'劳动公园（广场）尚未建成',
		'union-system',
		'in-progress',
		'quality-of-life',
		'service',
		120,
		'市总工会经济部',
		'',
		'',
		[
			['选址论证', true],
			['申请建设资金', false]
		]
	),
	p(
		'beidaihe',
		'工会经费收缴率偏低',
		'county-self',
		'open',
		'organization',
		'institutional',
		-3,
		'北戴河区总工会',
		'',
		'',
		[['开展经费收缴专项督查', false]]
	),
	p(
		'beidaihe',
		'疗养院职工技能竞赛参与率不足 60%',
		'county-self',
		'in-progress',
		'industrial-workers',
		'effectiveness',
		35,
		'北戴河区总工会',
		'',
		'',
		[
			['制定竞赛方案', true],
			['组织岗位练兵', false]
		]
	),
	p(
		'funing',
		'产业工人队伍建设改革试点典型不足',
		'union-system',
		'in-progress',
		'industrial-workers',
		'effectiveness',
		70,
		'抚宁区总工会',
		'陈会莹',
		'李光',
		[
			['遴选 3 家试点企业', true],
			['市总工会派员蹲点指导', false]
		],
		'按方案到 2023 年 9 月底每个县至少培育 2-3 家试点典型。',
		['市总工会经济部']
	),
	p(
		'funing',
		'农民工欠薪投诉处置慢',
		'party-gov',
		'in-progress',
		'labour-security',
		'effectiveness',
		-8,
		'抚宁区总工会',
		'陈会莹',
		'李光',
		[
			['建立工会与人社联动处置机制', true],
			['提请区政府督办重点案件', false]
		],
		'',
		['区人社局', '区信访局'],
		['区政府已召开专题会']
	),
	p(
		'funing',
		'乡镇（街道）工会主席兼职多、精力不足',
		'party-gov',
		'open',
		'organization',
		'organizational',
		40,
		'抚宁区总工会',
		'陈会莹',
		'李光',
		[['提请区委组织部明确专职工会工作者', false]],
		'',
		['区委组织部']
	),
	p(
		'funing',
		'职工服务中心服务项目单一',
		'county-self',
		'resolved',
		'quality-of-life',
		'service',
		-15,
		'抚宁区总工会',
		'陈会莹',
		'李光',
		[
			['新增法律援助窗口', true],
			['开通线上预约', true]
		]
	),
	p(
		'funing',
		'企业安全生产群众监督员培训不到位',
		'county-self',
		'open',
		'labour-security',
		'institutional',
		3,
		'抚宁区总工会',
		'陈会莹',
		'李光',
		[['组织安康杯竞赛培训', false]]
	),
	p(
		'funing',
		'小微企业建会覆盖率低',
		'unsorted',
		'open',
		'organization',
		undefined,
		null,
		'',
		'',
		'李光',
		[]
	),
	p(
		'qinglong',
		'山区乡镇企业分散，建会难度大',
		'union-system',
		'in-progress',
		'organization',
		'organizational',
		25,
		'青龙县总工会',
		'金龙飞',
		'陈勇琿',
		[
			['组建区域性工会联合会', true],
			['市总工会派驻工作指导员', false],
			['落实建会经费补助', false]
		],
		'全县 25 个乡镇，规模以下企业 400 余家，多数未建会。',
		['市总工会组织部']
	),
	p(
		'qinglong',
		'困难职工帮扶资金不足',
		'union-system',
		'open',
		'quality-of-life',
		'service',
		-20,
		'市总工会保障部',
		'陈静',
		'陈勇琿',
		[
			['核实困难职工档案', true],
			['申请送温暖专项资金', false]
		],
		'',
		['青龙县总工会']
	),
	p(
		'qinglong',
		'县总工会网络平台入驻率低',
		'county-self',
		'in-progress',
		'organization',
		'service',
		14,
		'青龙县总工会',
		'金龙飞',
		'陈勇琿',
		[
			['动员基层工会扫码入驻', false],
			['开展线上活动 3 场', true]
		]
	),
	p(
		'qinglong',
		'矿山企业职工职业病防护薄弱',
		'party-gov',
		'open',
		'labour-security',
		'effectiveness',
		55,
		'青龙县总工会',
		'金龙飞',
		'陈勇琿',
		[['联合县卫健局开展职业健康检查', false]],
		'',
		['县卫健局', '县应急管理局']
	),
	p(
		'qinglong',
		'板栗加工季节工权益维护',
		'county-self',
		'closed',
		'new-employment',
		'effectiveness',
		-60,
		'青龙县总工会',
		'金龙飞',
		'陈勇琿',
		[
			['开展季节工法律宣传', true],
			['设立维权服务点', true]
		]
	),
	p(
		'qinglong',
		'县级工会干部业务培训少',
		'unsorted',
		'open',
		'organization',
		undefined,
		null,
		'',
		'',
		'陈勇琿',
		[]
	),
	p(
		'changli',
		'葡萄酒产业工人技能等级认定渠道少',
		'union-system',
		'open',
		'industrial-workers',
		'effectiveness',
		80,
		'昌黎县总工会',
		'',
		'',
		[['对接市职业技能鉴定机构', false]]
	),
	p(
		'changli',
		'县工人文化宫被挪作他用',
		'party-gov',
		'in-progress',
		'quality-of-life',
		'service',
		-30,
		'昌黎县总工会',
		'',
		'',
		[
			['向县委通报情况', true],
			['推动收回场馆使用权', false]
		],
		'',
		['县机关事务局']
	),
	p(
		'changli',
		'职工大病医疗互助参保率低',
		'county-self',
		'open',
		'quality-of-life',
		'service',
		18,
		'昌黎县总工会',
		'',
		'',
		[['开展互助保障宣传月', false]]
	),
	p(
		'changli',
		'基层工会换届不及时',
		'county-self',
		'resolved',
		'organization',
		'institutional',
		-2,
		'昌黎县总工会',
		'',
		'',
		[
			['列出到期未换届清单', true],
			['督促限期换届', true]
		]
	),
	p(
		'changli',
		'网约车司机维权渠道不畅',
		'unsorted',
		'open',
		'new-employment',
		undefined,
		null,
		'',
		'',
		'',
		[]
	),
	p(
		'lulong',
		'县总工会办公场所狭小',
		'party-gov',
		'open',
		'organization',
		'organizational',
		100,
		'卢龙县总工会',
		'王宏亮',
		'曹文荣',
		[['提请县政府协调办公用房', false]],
		'',
		['县机关事务局']
	),
	p(
		'lulong',
		'爱心妈妈小屋建设进度慢',
		'county-self',
		'in-progress',
		'quality-of-life',
		'service',
		6,
		'卢龙县总工会',
		'王宏亮',
		'曹文荣',
		[
			['新建 5 个爱心妈妈小屋', false],
			['制定建设标准', true]
		]
	),
	p(
		'lulong',
		'甘薯产业园区职工缺少活动阵地',
		'union-system',
		'in-progress',
		'quality-of-life',
		'service',
		28,
		'市总工会宣教部',
		'刘力恺',
		'曹文荣',
		[
			['争取职工之家建设补助', true],
			['配置文体器材', false]
		],
		'',
		['卢龙县总工会']
	),
	p(
		'lulong',
		'劳动争议调解组织覆盖不全',
		'county-self',
		'open',
		'labour-security',
		'institutional',
		-1,
		'卢龙县总工会',
		'王宏亮',
		'曹文荣',
		[['在 3 个乡镇建立劳动争议调解室', false]]
	),
	p(
		'lulong',
		'职工技能竞赛参与率未达 90%',
		'union-system',
		'closed',
		'industrial-workers',
		'effectiveness',
		-45,
		'市总工会经济部',
		'刘力恺',
		'曹文荣',
		[
			['举办县级技能大赛', true],
			['组织企业岗位练兵', true]
		],
		'',
		[],
		['参与率达 92%，已销号']
	),
	p(
		'lulong',
		'县级工会经费保障机制不健全',
		'unsorted',
		'open',
		'organization',
		undefined,
		null,
		'',
		'',
		'曹文荣',
		[]
	),
	p(
		'haigang',
		'港口装卸工人职业技能提升渠道少',
		'union-system',
		'open',
		'industrial-workers',
		'effectiveness',
		9,
		'市总工会经济部',
		'武威',
		'孙宝旗',
		[['与港口集团共建技能实训基地', false]]
	),
	p(
		'shanhaiguan',
		'个体工商户从业人员入会意愿不强',
		'party-gov',
		'open',
		'new-employment',
		'organizational',
		-25,
		'山海关区总工会',
		'刘越',
		'张安华',
		[['联合区市场监管局宣传动员', false]],
		'',
		['区市场监管局']
	),
	p(
		'funing',
		'农村劳动力转移就业培训覆盖不足',
		'union-system',
		'resolved',
		'industrial-workers',
		'effectiveness',
		-10,
		'市总工会保障部',
		'孔铁军',
		'李光',
		[
			['开设电工、焊工培训班', true],
			['组织线上招聘会', true]
		]
	)
];
