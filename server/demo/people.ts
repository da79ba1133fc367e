import type { NewUser } from '../auth/users.ts';

export const DEMO_PASSWORD = 'qingdan-demo';

type DemoPerson = Omit<NewUser, 'password'> & { displayName: string; note: string };

/** The people of SCENARIOS.md, each with the role they have in the app. */
export const DEMO_USERS: DemoPerson[] = [
	{ username: 'chenjing', displayName: '陈静', role: 'admin', note: '组织部部长，管理员' },
	{ username: 'sunbaoqi', displayName: '孙宝旗', role: 'city', note: '联系海港区' },
	{ username: 'wuwei', displayName: '武威', role: 'city', note: '市总联系人' },
	{ username: 'zhangxin', displayName: '张鑫', role: 'county', county: 'haigang', note: '海港区' },
	{
		username: 'jinlongfei',
		displayName: '金龙飞',
		role: 'county',
		county: 'qinglong',
		note: '青龙县'
	},
	{
		username: 'wanghongliang',
		displayName: '王宏亮',
		role: 'county',
		county: 'lulong',
		note: '卢龙县'
	},
	{ username: 'zhaowenjing', displayName: '赵文静', role: 'viewer', note: '领导小组成员，只读' }
];
