import * as Y from 'yjs';
import { addProblem, card, column, expect, nodeClient, openBoard, signIn, test } from './fixtures';

test('a program speaking y-websocket reads and writes a board by the documented schema', async ({
	page,
	baseURL
}) => {
	const { doc, provider } = await nodeClient(baseURL!, 'county.2022.shanhaiguan');

	// Written by the program, following DESIGN.md's schema…
	doc.transact(() => {
		const problem = new Y.Map<unknown>();
		doc.getMap('problems').set('from-script-1', problem);
		problem.set('title', '脚本：新业态劳动者维权站点覆盖不足');
		problem.set('description', new Y.Text('由外部程序写入'));
		problem.set('tier', 'party-gov');
		problem.set('status', 'in-progress');
		problem.set('order', 'a0');
		problem.set('focus', 'new-employment');
		problem.set(
			'measures',
			Y.Array.from([new Y.Map(Object.entries({ id: 'm1', text: '摸底调查', done: true }))])
		);
		problem.set('assignee', '刘越');
		problem.set('due', '2023-06-30');
		problem.set('futureField', 'kept');
	});

	// …shows up in the app.
	await signIn(page, 'wuwei');
	await openBoard(page, 'shanhaiguan');
	const scripted = card(page, '脚本：新业态劳动者维权站点覆盖不足');
	await expect(column(page, '党委政府协调')).toContainText('脚本：新业态劳动者维权站点覆盖不足');
	await expect(scripted).toContainText('推进中');
	await expect(scripted).toContainText('刘越');
	await expect(scripted).toContainText('1/1');

	// And what the app writes reaches the program.
	await addProblem(page, '界面：职工心灵驿站建设滞后', '工会系统解决');
	await expect
		.poll(() =>
			[...doc.getMap<Y.Map<unknown>>('problems').values()]
				.find((p) => p.get('title') === '界面：职工心灵驿站建设滞后')
				?.get('tier')
		)
		.toBe('union-system');
	await scripted.click();
	await page.getByTestId('action-resolve').click();
	await page.getByTestId('resolve-dialog').getByLabel('解决结果').fill('站点已覆盖全部街道');
	await page.getByTestId('resolve-dialog').getByRole('button', { name: '标记已解决' }).click();
	await expect
		.poll(() => doc.getMap<Y.Map<unknown>>('problems').get('from-script-1')?.get('status'))
		.toBe('resolved');
	// A field the app doesn't know is kept, not dropped.
	expect(doc.getMap<Y.Map<unknown>>('problems').get('from-script-1')?.get('futureField')).toBe(
		'kept'
	);

	provider.destroy();
});
