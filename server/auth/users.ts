import { USERNAME_PATTERN, USERNAME_RULE_MESSAGE } from '../../src/lib/domain/username.ts';
import type { ApiErrorParams } from '../../src/lib/domain/error-codes.ts';
import { isRole, type Role, type User } from '../../src/lib/domain/model.ts';
import type { CampaignRegistry } from '../campaigns.ts';
import type { Db } from '../db.ts';
import {
	MAX_PASSWORD_LENGTH,
	MIN_PASSWORD_LENGTH,
	PASSWORD_FAULT_MESSAGES,
	passwordFault,
	passwordLengthFault,
	type PasswordFault
} from '../../src/lib/domain/password-policy.ts';
import { hashPassword, verifyAgainstDummy, verifyPassword } from './password.ts';

export { USERNAME_PATTERN };
const MAX_DISPLAY_NAME_LENGTH = 40;

export interface UserRow {
	username: string;
	display_name: string;
	role: string;
	county: string | null;
	password_hash: string;
	created_at: string;
	updated_at: string;
}

export interface NewUser {
	username: string;
	password: string;
	role: Role;
	county?: string | null;
	displayName?: string | null;
}

export interface UserChanges {
	displayName?: string | null;
	password?: string;
	role?: Role;
	county?: string | null;
}

export type UserErrorCode =
	| 'username_invalid'
	| 'role_invalid'
	| 'password_short'
	| 'password_long'
	| 'password_common'
	| 'display_name_invalid'
	| 'display_name_too_long'
	| 'county_not_allowed'
	| 'county_required'
	| 'county_unknown'
	| 'taken'
	| 'user_not_found'
	| 'last_admin'
	| 'setup_done';

/**
 * A refusal the caller can show as is: `message` is in both languages (the CLI prints it), `code`
 * and `params` are for programs (the app words them in the person's language).
 */
export class UserError extends Error {
	constructor(
		readonly code: UserErrorCode,
		message: string,
		readonly params?: ApiErrorParams
	) {
		super(message);
	}
}

export function rowToUser(row: UserRow): User {
	const user: User = {
		username: row.username,
		displayName: row.display_name,
		role: isRole(row.role) ? row.role : 'viewer'
	};
	if (row.county) user.county = row.county;
	return user;
}

const PASSWORD_FAULT_CODES = {
	short: 'password_short',
	long: 'password_long',
	common: 'password_common'
} as const satisfies Record<PasswordFault, UserErrorCode>;

const PASSWORD_FAULT_PARAMS: Record<PasswordFault, ApiErrorParams> = {
	short: { min: MIN_PASSWORD_LENGTH },
	long: { max: MAX_PASSWORD_LENGTH },
	common: {}
};

const passwordError = (fault: PasswordFault) =>
	new UserError(
		PASSWORD_FAULT_CODES[fault],
		PASSWORD_FAULT_MESSAGES[fault],
		PASSWORD_FAULT_PARAMS[fault]
	);

const ROLE_MESSAGE =
	'角色须为 admin、city、county 或 viewer。The role must be admin, city, county or viewer.';

/** The length part of the password rule, checked with the other fields of a new user. */
function checkPasswordLength(password: unknown): string {
	if (typeof password !== 'string') throw passwordError('short');
	const fault = passwordLengthFault(password);
	if (fault) throw passwordError(fault);
	return password;
}

/** The whole password rule (src/lib/domain/password-policy.ts), wherever a password is set. */
async function checkPassword(password: unknown): Promise<string> {
	const fault = await passwordFault(checkPasswordLength(password));
	if (fault) throw passwordError(fault);
	return password as string;
}

function checkDisplayName(name: unknown, username: string): string {
	if (name === undefined || name === null) return username;
	if (typeof name !== 'string')
		throw new UserError('display_name_invalid', '姓名须为文字。The display name must be text.');
	const trimmed = name.trim();
	if ([...trimmed].length > MAX_DISPLAY_NAME_LENGTH) {
		throw new UserError(
			'display_name_too_long',
			`姓名最多 ${MAX_DISPLAY_NAME_LENGTH} 个字符。Display names may have at most ${MAX_DISPLAY_NAME_LENGTH} characters.`,
			{ max: MAX_DISPLAY_NAME_LENGTH }
		);
	}
	// eslint-disable-next-line no-control-regex
	if (/[\u0000-\u001f\u007f]/.test(trimmed))
		throw new UserError(
			'display_name_invalid',
			'姓名含有控制字符。The display name has control characters.'
		);
	return trimmed || username;
}

/**
 * Users and their passwords, with every rule about them. The HTTP API and the users CLI both go
 * through this class, so they cannot disagree.
 */
export class UserService {
	readonly #db: Db;
	readonly #registry: CampaignRegistry;
	readonly #select;
	readonly #countAdmins;

	constructor(db: Db, registry: CampaignRegistry) {
		this.#db = db;
		this.#registry = registry;
		this.#select = db.prepare<[string], UserRow>('SELECT * FROM users WHERE username = ?');
		this.#countAdmins = db.prepare<[], { n: number }>(
			"SELECT COUNT(*) AS n FROM users WHERE role = 'admin'"
		);
	}

	count(): number {
		return this.#db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM users').get()!.n;
	}

	list(): User[] {
		return this.#db
			.prepare<[], UserRow>('SELECT * FROM users ORDER BY username')
			.all()
			.map(rowToUser);
	}

	get(username: string): User | null {
		const row = this.#select.get(username);
		return row ? rowToUser(row) : null;
	}

	async create(input: NewUser): Promise<User> {
		const user = this.#checkNewUser(input);
		this.#refuseTaken(user.username);
		const hash = await hashPassword(await checkPassword(input.password));
		this.#db
			.transaction(() => {
				this.#refuseTaken(user.username);
				this.#insert(user, hash);
			})
			.immediate();
		return user;
	}

	/** Creates the first administrator; refuses once any user exists. */
	async createFirstAdmin(input: Omit<NewUser, 'role' | 'county'>): Promise<User> {
		const user = this.#checkNewUser({ ...input, role: 'admin' });
		const hash = await hashPassword(await checkPassword(input.password));
		this.#db
			.transaction(() => {
				if (this.count() > 0)
					throw new UserError('setup_done', '管理员已存在。An administrator already exists.');
				this.#insert(user, hash);
			})
			.immediate();
		return user;
	}

	/** Applies changes; a role that is not `county` drops the county. */
	async update(username: string, changes: UserChanges): Promise<User> {
		const hash =
			changes.password === undefined
				? null
				: await hashPassword(await checkPassword(changes.password));
		return this.#db
			.transaction(() => {
				const row = this.#select.get(username);
				if (!row)
					throw new UserError(
						'user_not_found',
						`没有用户“${username}”。There is no user "${username}".`,
						{ username }
					);
				const current = rowToUser(row);
				const role = changes.role ?? current.role;
				if (!isRole(role)) throw new UserError('role_invalid', ROLE_MESSAGE);
				const county =
					changes.county !== undefined ? changes.county : role === 'county' ? current.county : null;
				const next: User = {
					username,
					displayName:
						changes.displayName !== undefined
							? checkDisplayName(changes.displayName, username)
							: current.displayName,
					role
				};
				const checkedCounty = this.#checkCounty(role, county);
				if (checkedCounty) next.county = checkedCounty;
				if (current.role === 'admin' && role !== 'admin') this.#refuseLastAdmin();
				this.#db
					.prepare(
						`UPDATE users SET display_name = ?, role = ?, county = ?,
					   password_hash = COALESCE(?, password_hash), updated_at = ? WHERE username = ?`
					)
					.run(
						next.displayName,
						next.role,
						next.county ?? null,
						hash,
						new Date().toISOString(),
						username
					);
				return next;
			})
			.immediate();
	}

	delete(username: string): void {
		this.#db
			.transaction(() => {
				const row = this.#select.get(username);
				if (!row)
					throw new UserError(
						'user_not_found',
						`没有用户“${username}”。There is no user "${username}".`,
						{ username }
					);
				if (row.role === 'admin') this.#refuseLastAdmin();
				this.#db.prepare('DELETE FROM users WHERE username = ?').run(username);
			})
			.immediate();
	}

	/** The user when the password matches; null otherwise, after the same amount of work. */
	async verify(username: string, password: string): Promise<User | null> {
		const row = USERNAME_PATTERN.test(username) ? this.#select.get(username) : undefined;
		if (!row) return verifyAgainstDummy(password).then(() => null);
		return (await verifyPassword(password, row.password_hash)) ? rowToUser(row) : null;
	}

	#checkNewUser(input: NewUser): User {
		if (typeof input.username !== 'string' || !USERNAME_PATTERN.test(input.username)) {
			throw new UserError('username_invalid', USERNAME_RULE_MESSAGE);
		}
		if (!isRole(input.role)) throw new UserError('role_invalid', ROLE_MESSAGE);
		checkPasswordLength(input.password);
		const user: User = {
			username: input.username,
			displayName: checkDisplayName(input.displayName, input.username),
			role: input.role
		};
		const county = this.#checkCounty(input.role, input.county ?? null);
		if (county) user.county = county;
		return user;
	}

	#checkCounty(role: Role, county: string | null | undefined): string | null {
		const given = county === '' ? null : (county ?? null);
		if (role !== 'county') {
			if (given !== null)
				throw new UserError(
					'county_not_allowed',
					'只有县级账号属于某个县区。Only county users belong to a county.'
				);
			return null;
		}
		if (given === null)
			throw new UserError('county_required', '县级账号需要选择县区。County users need a county.');
		if (typeof given !== 'string' || !this.#registry.isKnownCounty(given)) {
			throw new UserError(
				'county_unknown',
				`没有县区“${String(given)}”。There is no county "${String(given)}".`,
				{ county: String(given) }
			);
		}
		return given;
	}

	#refuseTaken(username: string): void {
		if (this.#select.get(username)) {
			throw new UserError(
				'taken',
				`用户名“${username}”已被使用。The username "${username}" is taken.`,
				{ username }
			);
		}
	}

	#refuseLastAdmin(): void {
		if (this.#countAdmins.get()!.n <= 1) {
			throw new UserError(
				'last_admin',
				'最后一位管理员不能删除或降级。The last administrator cannot be removed or demoted.'
			);
		}
	}

	/** Every user with the password hash, for backups (never sent to browsers). */
	exportRows(): UserRow[] {
		return this.#db.prepare<[], UserRow>('SELECT * FROM users ORDER BY username').all();
	}

	/**
	 * For restores, inside the caller's transaction: writes users as they were (password hashes
	 * included); a user of the same name is overwritten, keeping their sessions.
	 */
	restoreRows(rows: UserRow[]): void {
		const upsert = this.#db.prepare(
			`INSERT INTO users (username, display_name, role, county, password_hash, created_at, updated_at)
			 VALUES (@username, @display_name, @role, @county, @password_hash, @created_at, @updated_at)
			 ON CONFLICT(username) DO UPDATE SET display_name = excluded.display_name,
			   role = excluded.role, county = excluded.county, password_hash = excluded.password_hash,
			   created_at = excluded.created_at, updated_at = excluded.updated_at`
		);
		for (const row of rows) upsert.run(row);
	}

	#insert(user: User, passwordHash: string): void {
		const now = new Date().toISOString();
		this.#db
			.prepare(
				`INSERT INTO users (username, display_name, role, county, password_hash, created_at, updated_at)
				 VALUES (?, ?, ?, ?, ?, ?, ?)`
			)
			.run(user.username, user.displayName, user.role, user.county ?? null, passwordHash, now, now);
	}
}
