// The server of figure 7 in its own process, compiled as `npm start` runs it: the real app on the
// store its argument configures (JSON of a StoreConfig: a SQLite file or a PostgreSQL URL), records
// checked in CHECK_THREADS worker threads as `npm start` checks them; the per-device upload limit
// is lifted (one tablet sends a whole site's records back to back). Prints its port and serves
// until killed.
import type { AddressInfo } from 'node:net';
import { buildApp } from '../src/server/app.ts';
import { checkThreads } from '../src/server/main.ts';
import type { StoreConfig } from '../src/server/store/index.ts';
import { openStore } from '../src/server/store/index.ts';

const config = process.argv[2];
if (config === undefined) throw new Error('usage: ingest-server-child <StoreConfig as JSON>');
const store = await openStore(JSON.parse(config) as StoreConfig);
const app = await buildApp({ store, uploadsPerMinute: 1_000_000, checkThreads: checkThreads() });
await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`${(app.server.address() as AddressInfo).port}\n`);
