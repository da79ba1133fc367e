/** The people of SCENARIOS.md the browser tests act as. */
export const ADMIN_PASSWORD = 'admin-e2e-password';
export const PASSWORD = 'qingdan-e2e-password';

export const USERS = {
	wuwei: { username: 'wuwei', displayName: '武威', role: 'city' },
	zhangxin: { username: 'zhangxin', displayName: '张鑫', role: 'county', county: 'haigang' },
	jinlongfei: { username: 'jinlongfei', displayName: '金龙飞', role: 'county', county: 'qinglong' },
	wanghongliang: {
		username: 'wanghongliang',
		displayName: '王宏亮',
		role: 'county',
		county: 'lulong'
	},
	zhaowenjing: { username: 'zhaowenjing', displayName: '赵文静', role: 'viewer' }
} as const;

export type Person = keyof typeof USERS;
