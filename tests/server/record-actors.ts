/**
 * The people of the record tests: a city verifier and a county user, as the domain sees them
 * (Actor) and as the server's guard sees them (Writer), and a complete closure (销号).
 */
export const city = { username: 'wuwei', name: '吴伟', role: 'city' as const };
export const cityWriter = { username: 'wuwei', displayName: '吴伟', role: 'city' as const };
export const county = { username: 'zhangxin', name: '张欣', role: 'county' as const };
export const countyWriter = { username: 'zhangxin', displayName: '张欣', role: 'county' as const };
export const closure = {
	verifier: '市总工会 吴伟',
	verifiedOn: '2022-09-30',
	satisfaction: 'satisfied' as const,
	followUp: '回访职工满意'
};
