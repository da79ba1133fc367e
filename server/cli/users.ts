import { parseArgs } from 'node:util';
import { isRole, type Role } from '../../src/lib/domain/model.ts';
import { SessionStore } from '../auth/sessions.ts';
import { UserError, UserService } from '../auth/users.ts';
import { CampaignRegistry } from '../campaigns.ts';
import { readConfig } from '../config.ts';
import { openDatabase, type Db } from '../db.ts';
import { SqliteDocStore } from '../persistence/sqlite-doc-store.ts';
import { seedCampaigns } from '../seed.ts';
import { readPassword } from './prompt.ts';

const USAGE = `Manage Qingdan users (data in DATA_DIR, default ./data).

Usage: npm run users -- <command> [options]

Commands:
  list                                   List users
  add <username> --role <role> [--county <id>] [--name <display name>] [--password <pw>]
                                         Create a user
  set-password <username> [--password <pw>]
                                         Set a new password (signs the user out everywhere)
  set-role <username> <role> [--county <id>]
                                         Change the role (county users need --county)
  set-name <username> <display name>     Change the display name
  remove <username>                      Delete a user and their sessions

Roles: admin, city, county, viewer.
Without --password the password comes from QINGDAN_PASSWORD, else it is asked for
(typed without echo on a terminal, or the first line of standard input).
`;

class CliError extends Error {}

function role(value: string | undefined): Role {
	if (!isRole(value)) throw new CliError('--role must be admin, city, county or viewer.');
	return value;
}

function positional(args: string[], index: number, what: string): string {
	const value = args[index];
	if (!value) throw new CliError(`Missing ${what}. See --help.`);
	return value;
}

async function password(given: string | undefined): Promise<string> {
	return given ?? process.env.QINGDAN_PASSWORD ?? (await readPassword('Password: '));
}

async function run(argv: string[]): Promise<void> {
	const { values, positionals } = parseArgs({
		args: argv,
		options: {
			role: { type: 'string' },
			county: { type: 'string' },
			name: { type: 'string' },
			password: { type: 'string' },
			help: { type: 'boolean', short: 'h' }
		},
		allowPositionals: true
	});
	const [command, ...args] = positionals;
	if (values.help || !command) {
		process.stdout.write(USAGE);
		if (!values.help) throw new CliError('No command given.');
		return;
	}
	const db = openDatabase(readConfig().dataDir);
	try {
		await runCommand(db, command, args, values);
	} finally {
		db.close();
	}
}

async function runCommand(
	db: Db,
	command: string,
	args: string[],
	options: { role?: string; county?: string; name?: string; password?: string }
): Promise<void> {
	const registry = new CampaignRegistry(db);
	// Counties are checked against the campaigns, so a fresh data dir gets its seed first.
	await seedCampaigns(registry, new SqliteDocStore(db));
	const users = new UserService(db, registry);
	const sessions = new SessionStore(db);
	switch (command) {
		case 'list': {
			const rows = users.list().map((u) => [u.username, u.role, u.county ?? '', u.displayName]);
			const header = ['USERNAME', 'ROLE', 'COUNTY', 'NAME'];
			const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
			for (const row of [header, ...rows]) {
				console.log(
					row
						.map((cell, i) => cell.padEnd(widths[i]!))
						.join('  ')
						.trimEnd()
				);
			}
			return;
		}
		case 'add': {
			const username = positional(args, 0, 'username');
			const user = await users.create({
				username,
				role: role(options.role),
				county: options.county,
				displayName: options.name,
				password: await password(options.password)
			});
			console.log(
				`Created ${user.username} (${user.role}${user.county ? `, ${user.county}` : ''}).`
			);
			return;
		}
		case 'set-password': {
			const username = positional(args, 0, 'username');
			await users.update(username, { password: await password(options.password) });
			sessions.revokeAll(username);
			console.log(`Password of ${username} changed; their sessions were ended.`);
			return;
		}
		case 'set-role': {
			const username = positional(args, 0, 'username');
			const user = await users.update(username, {
				role: role(positional(args, 1, 'role')),
				...(options.county !== undefined ? { county: options.county } : {})
			});
			console.log(
				`${user.username} is now ${user.role}${user.county ? ` of ${user.county}` : ''}.`
			);
			return;
		}
		case 'set-name': {
			const username = positional(args, 0, 'username');
			await users.update(username, { displayName: positional(args, 1, 'display name') });
			console.log(`Display name of ${username} changed.`);
			return;
		}
		case 'remove': {
			const username = positional(args, 0, 'username');
			users.delete(username);
			console.log(`Removed ${username}.`);
			return;
		}
		default:
			throw new CliError(`Unknown command "${command}". See --help.`);
	}
}

run(process.argv.slice(2)).catch((error: unknown) => {
	const known = error instanceof CliError || error instanceof UserError;
	const message = error instanceof Error ? error.message : String(error);
	process.stderr.write(`${known ? '' : 'Error: '}${message}\n`);
	process.exitCode = 1;
});
