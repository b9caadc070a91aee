// The tablet's lock over its database: the key ring kept in the `vault` table, the PIN that opens
// it (and what wrong ones do), and sealing the rows a tablet wrote before it had a key.
import type { ParadataRow, SmpgDatabase } from './dexie-schema.ts';
import { answerRows } from './dexie-schema.ts';
import { RowCodec } from './sealed-rows.ts';
import type { AnswerRecord, InterviewRecord } from './types.ts';
import type { KeyRing, PinKey, Vault } from './vault.ts';
import { MAX_PIN_FAILURES, createKeyRing, recoverWithCode, unlockWithPin } from './vault.ts';

/** After the erasure, each further wrong PIN makes the next try wait this long. */
export const WAIT_AFTER_ERASURE_MS = 30_000;

/** Rows sealed per transaction when sealing what was written in clear. */
const SEAL_STEP = 200;

export function readKeyRing(db: SmpgDatabase): Promise<KeyRing | undefined> {
  return db.vault.get('keyring');
}

/** A new key ring under `pin` (a tablet's first start, or one that had none). */
export async function createLock(
  db: SmpgDatabase,
  pin: string,
): Promise<{ vault: Vault; recoveryCode: string }> {
  const { ring, vault, recoveryCode } = await createKeyRing(pin);
  await db.vault.add(ring);
  return { vault, recoveryCode };
}

export type UnlockResult =
  | { readonly kind: 'unlocked'; readonly vault: Vault }
  /** Wrong PIN: how many in a row, how many are left before the erasure, whether it happened. */
  | {
      readonly kind: 'wrong';
      readonly failures: number;
      readonly left: number;
      readonly erased: boolean;
    }
  /** Too soon after a wrong PIN past the erasure: try again at `notBefore`. */
  | { readonly kind: 'wait'; readonly notBefore: string };

type RingState = Pick<KeyRing, 'failures' | 'erasedAt' | 'notBefore'>;

/**
 * Tries a PIN. A right one resets the count of wrong ones. The MAX_PIN_FAILURES-th wrong one in a
 * row erases every interview the server has acknowledged (it holds them: nothing is lost) and
 * keeps the rest sealed, for the right PIN or the coordinator's recovery code; each wrong one
 * after that makes the next try wait. The PIN may come with its key derived already (derivePinKey).
 */
export async function unlockDevice(
  db: SmpgDatabase,
  pin: string | PinKey,
  now: () => Date = () => new Date(),
): Promise<UnlockResult> {
  const ring = await readKeyRing(db);
  if (ring === undefined) throw new Error('This tablet has no PIN yet.');
  if (ring.notBefore !== undefined && now().toISOString() < ring.notBefore)
    return { kind: 'wait', notBefore: ring.notBefore };
  const vault = await unlockWithPin(ring, pin);
  if (vault !== undefined) {
    if (ring.failures > 0 || ring.notBefore !== undefined) await saveState(db, { failures: 0 });
    return { kind: 'unlocked', vault };
  }
  const failures = ring.failures + 1;
  let erasedAt = ring.erasedAt;
  if (failures >= MAX_PIN_FAILURES && erasedAt === undefined) {
    await eraseAcknowledged(db);
    erasedAt = now().toISOString();
  }
  const notBefore =
    failures > MAX_PIN_FAILURES
      ? new Date(now().getTime() + WAIT_AFTER_ERASURE_MS).toISOString()
      : undefined;
  await saveState(db, {
    failures,
    ...(erasedAt === undefined ? {} : { erasedAt }),
    ...(notBefore === undefined ? {} : { notBefore }),
  });
  return {
    kind: 'wrong',
    failures,
    left: Math.max(0, MAX_PIN_FAILURES - failures),
    erased: erasedAt !== undefined,
  };
}

/** The count of wrong PINs and what followed, written over the ring's. */
async function saveState(db: SmpgDatabase, state: RingState): Promise<void> {
  await db.transaction('rw', db.vault, async () => {
    const ring = await db.vault.get('keyring');
    if (ring === undefined) return;
    const { failures: _f, erasedAt: _e, notBefore: _n, ...rest } = ring;
    void _f;
    void _e;
    void _n;
    await db.vault.put({ ...rest, ...state });
  });
}

/**
 * With the code the coordinator read out (the server keeps it per tablet): a new PIN, and the
 * vault; `undefined` for a wrong code.
 */
export async function recoverDevice(
  db: SmpgDatabase,
  code: string,
  newPin: string,
): Promise<Vault | undefined> {
  const ring = await readKeyRing(db);
  if (ring === undefined) return undefined;
  const recovered = await recoverWithCode(ring, code, newPin);
  if (recovered === undefined) return undefined;
  await db.vault.put(recovered.ring);
  return recovered.vault;
}

/** Marks the recovery code as held by the server. */
export async function recoverySent(db: SmpgDatabase, at: string): Promise<void> {
  await db.vault.update('keyring', { recoverySentAt: at });
}

/** Whether an interview row says the server holds it, sealed (`sent`) or plain (`sync.state`). */
function acknowledged(row: {
  readonly sent?: boolean;
  readonly sync?: { state: string };
}): boolean {
  return row.sent === true || row.sync?.state === 'sent';
}

/**
 * Deletes every interview the server has acknowledged, with its answers, paradata and copies, a
 * step of interviews per transaction (a large delete in one go stalls the writes after it).
 * Reads only what is in clear.
 */
export async function eraseAcknowledged(db: SmpgDatabase): Promise<number> {
  const rows = (await db.interviews.toArray()) as (InterviewRecord & { sent?: boolean })[];
  const ids = rows.filter(acknowledged).map((row) => row.id);
  const { interviews, answers, paradata, finishedAnswers, anonymisedAnswers } = db;
  for (let from = 0; from < ids.length; from += 50) {
    const step = ids.slice(from, from + 50);
    await db.transaction(
      'rw',
      [interviews, answers, paradata, finishedAnswers, anonymisedAnswers],
      async () => {
        for (const id of step) {
          await answers.where('[interviewId+itemId]').between([id, ''], [id, '\uffff']).delete();
          await paradata.where('interviewId').equals(id).delete();
        }
        await Promise.all([
          interviews.bulkDelete(step),
          finishedAnswers.bulkDelete(step),
          anonymisedAnswers.bulkDelete(step),
        ]);
      },
    );
  }
  return ids.length;
}

/**
 * Seals every row written in clear (by the app before it had a key), a step at a time; the store
 * reads both kinds meanwhile. Returns how many rows it sealed.
 */
export async function sealPlainRows(db: SmpgDatabase, vault: Vault): Promise<number> {
  const codec = new RowCodec(vault);
  let sealed = 0;
  const isPlain = (row: object) => !('sealed' in row);
  // Answers, the most rows by far, an interview at a time.
  for (const id of await db.interviews.toCollection().primaryKeys()) {
    const plain = (await answerRows(db.answers, id)).filter(isPlain) as AnswerRecord[];
    if (plain.length === 0) continue;
    await db.answers.bulkPut(await Promise.all(plain.map((row) => codec.answerRow(row))));
    sealed += plain.length;
  }
  const tables = [
    { table: db.interviews, seal: (row: never) => codec.interviewRow(row) },
    { table: db.finishedAnswers, seal: (row: never) => codec.finishedRow(row) },
    { table: db.anonymisedAnswers, seal: (row: never) => codec.anonymisedRow(row) },
  ] as const;
  for (const { table, seal } of tables) {
    const plain = (await table.toArray()).filter(isPlain);
    for (let from = 0; from < plain.length; from += SEAL_STEP) {
      const step = plain.slice(from, from + SEAL_STEP);
      const rows = await Promise.all(step.map((row) => seal(row as never)));
      await (table as unknown as typeof db.answers).bulkPut(rows as never[]);
      sealed += rows.length;
    }
  }
  // Paradata keep their numbers (the order they were logged in).
  const events = (await db.paradata.toArray()).filter(isPlain);
  for (let from = 0; from < events.length; from += SEAL_STEP) {
    const step = events.slice(from, from + SEAL_STEP);
    const rows = await Promise.all(
      step.map(async (row) => {
        const { seq, ...event } = row as ParadataRow;
        return { ...(await codec.paradataRow(event)), seq };
      }),
    );
    await db.paradata.bulkPut(rows as never[]);
    sealed += rows.length;
  }
  const settings = await db.settings.get('device');
  if (settings?.deviceToken !== undefined || settings?.lastPickupPoint !== undefined) {
    const { key, ...rest } = settings;
    void key;
    await db.settings.put(await codec.settingsRow(rest));
    sealed += 1;
  }
  return sealed;
}
