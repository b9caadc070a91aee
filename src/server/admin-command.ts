// `npm run admin`: what an operator does on the server's machine when no admin can log in — make
// a user admin, or give someone a new one-time link to set their password — on the database
// `npm start` opens (scripts/admin.ts is its shell).
import { USERNAME, oneTimeLinkUrl } from '../core/protocol/wave.ts';
import { publicOrigin, storeConfig } from './main.ts';
import { openStore } from './store/index.ts';
import type { StoreConfig } from './store/index.ts';
import type { ServerStore } from './store/types.ts';
import { issueUserLink } from './user-links.ts';

export const ADMIN_USAGE = [
  'usage: npm run admin -- <command> <user name>',
  '  create-admin <name>     makes <name> an admin (creating the user if need be) and prints a',
  '                          one-time link to set their password',
  '  reset-password <name>   prints a new one-time link for <name> to set their password',
  'The database is the one `npm start` opens (DATABASE_URL, else SQLITE_PATH or',
  './data/smpg.sqlite); the link starts with PUBLIC_URL, else http://HOST:PORT.',
].join('\n');

/** Who the links made here say made them (user_links.created_by, the log). */
const MADE_BY = 'npm run admin';

export interface AdminCommandOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly now?: () => Date;
  /** Standard output and error, line by line. */
  readonly out?: (line: string) => void;
  readonly err?: (line: string) => void;
  /** Opens the store (tests pass their own). */
  readonly open?: (config: StoreConfig) => Promise<ServerStore>;
}

/** Runs one command; answers the exit code: 0 done, 1 failed, 2 wrong usage. */
export async function runAdminCommand(
  args: readonly string[],
  options: AdminCommandOptions = {},
): Promise<number> {
  const env = options.env ?? process.env;
  const now = options.now ?? (() => new Date());
  const out = options.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const err = options.err ?? ((line: string) => process.stderr.write(`${line}\n`));
  const [command, username, ...rest] = args;
  if (command === undefined || command === '--help' || command === '-h') {
    (command === undefined ? err : out)(ADMIN_USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command !== 'create-admin' && command !== 'reset-password') {
    err(`unknown command "${command}"\n${ADMIN_USAGE}`);
    return 2;
  }
  if (username === undefined || rest.length > 0) {
    err(`${command} takes one user name\n${ADMIN_USAGE}`);
    return 2;
  }
  if (!USERNAME.test(username)) {
    err(`"${username}" is not a user name: 2 to 40 letters, digits, ., _ or -`);
    return 2;
  }
  const store = await (options.open ?? openStore)(storeConfig(env));
  try {
    const user = await store.getUser(username);
    if (command === 'reset-password') {
      if (user === undefined) {
        err(`no user ${username}: make one with create-admin, or from the dashboard`);
        return 1;
      }
    } else if (user === undefined) {
      await store.createUser({
        username,
        passwordHash: null,
        admin: true,
        grants: [],
        createdAt: now().toISOString(),
      });
      out(`Admin ${username} created.`);
    } else if (user.admin) {
      out(`${username} is already an admin.`);
    } else {
      await store.setUserAccess(username, { admin: true, grants: user.grants });
      out(`${username} is now an admin (their roles per site are kept).`);
    }
    const link = await issueUserLink(store, username, MADE_BY, now());
    out(`One-time link for ${username} to set their password (valid until ${link.expiresAt}):`);
    out(`  ${oneTimeLinkUrl(publicOrigin(env), link.token)}`);
    out('It works once; their older unused links no longer work.');
    return 0;
  } finally {
    await store.close();
  }
}
