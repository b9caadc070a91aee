// Figure 7's yardstick: the least a server can do with the same uploads on the same machine, in
// the same run. Fastify with its own JSON parser, one bearer token compared, and each batch's
// records stored in one better-sqlite3 transaction with the pragmas of the real store (WAL,
// synchronous FULL, pages of 16 KiB), their id and text only: no check, no canonical form, no
// hash. The real server's rate over this one is the figure's ratio, steadier than records per
// second on a machine whose pace swings. Prints its port and serves until killed.
import type { AddressInfo } from 'node:net';
import Database from 'better-sqlite3';
import Fastify from 'fastify';

const [file, token] = process.argv.slice(2);
if (file === undefined || token === undefined)
  throw new Error('usage: bare-ingest-server-child <sqlite file> <token>');

const db = new Database(file);
db.pragma('page_size = 16384');
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.exec('CREATE TABLE records (id TEXT PRIMARY KEY, body TEXT NOT NULL) WITHOUT ROWID');
const insert = db.prepare(
  'INSERT INTO records (id, body) VALUES (?, ?) ON CONFLICT (id) DO NOTHING',
);
const store = db.transaction((records: readonly { id: string; body: string }[]) =>
  records.map((record) =>
    insert.run(record.id, record.body).changes === 1 ? 'accepted' : 'duplicate',
  ),
);

const app = Fastify({ bodyLimit: 64 * 1024 * 1024 });
app.post('/api/v1/records', async (request, reply) => {
  if (request.headers.authorization !== `Bearer ${token}`) return reply.status(401).send();
  const { records } = request.body as { records: { id: string }[] };
  const rows = records.map((record) => ({ id: record.id, body: JSON.stringify(record) }));
  const statuses = store(rows);
  return { results: rows.map((row, index) => ({ id: row.id, status: statuses[index] })) };
});
await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`${(app.server.address() as AddressInfo).port}\n`);
