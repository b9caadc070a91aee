// A server process on an existing SQLite file, for the export's memory test: started with a capped
// heap (`node --max-old-space-size=<MB> --import tsx tests/helpers/export-server.ts <file>`), it
// prints its port and serves until killed.
import type { AddressInfo } from 'node:net';
import { buildApp } from '../../src/server/app.ts';
import { SqliteStore } from '../../src/server/store/sqlite-store.ts';

const file = process.argv[2];
if (file === undefined) throw new Error('usage: export-server.ts <sqlite file>');
const store = new SqliteStore(file);
await store.migrate();
const app = await buildApp({ store });
await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`${(app.server.address() as AddressInfo).port}\n`);
