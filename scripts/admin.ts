// `npm run admin -- create-admin <name>` / `reset-password <name>`: the way in when no admin can
// log in (src/server/admin-command.ts does the work, on the database `npm start` opens).
import { runAdminCommand } from '../src/server/admin-command.ts';

try {
  process.exitCode = await runAdminCommand(process.argv.slice(2));
} catch (error) {
  process.stderr.write(
    `npm run admin: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
}
