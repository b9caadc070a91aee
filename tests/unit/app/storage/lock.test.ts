// The tablet's lock on a fake IndexedDB: what a copy of the database holds without the PIN, what
// wrong PINs do, the coordinator's recovery code, and the rows written before the tablet had a key.
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createLock,
  eraseAcknowledged,
  readKeyRing,
  recoverDevice,
  sealPlainRows,
  unlockDevice,
} from '../../../../src/app/storage/lock.ts';
import { DexieInterviewStore, SmpgDatabase } from '../../../../src/app/storage/index.ts';
import {
  MAX_PIN_FAILURES,
  normaliseRecoveryCode,
  recoveryCodeOf,
} from '../../../../src/app/storage/vault.ts';
import { interview } from './store-contract.ts';

const opened: SmpgDatabase[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

function freshDatabase(): SmpgDatabase {
  const db = new SmpgDatabase('lock-test', { indexedDB: new IDBFactory(), IDBKeyRange });
  opened.push(db);
  return db;
}

const AT = '2026-12-07T10:00:00.000Z';
const SECRET_ANSWER = 'Je vis rue des Tanneurs, au 12';

/** Everything the database holds, as one string (what someone who copied it could read). */
async function rawContent(db: SmpgDatabase): Promise<string> {
  const tables = await Promise.all(db.tables.map((table) => table.toArray()));
  return JSON.stringify(tables, (_key, value: unknown) =>
    value instanceof Uint8Array ? Buffer.from(value).toString('latin1') : value,
  );
}

/** A locked tablet with one interview acknowledged by the server and one waiting. */
async function tabletWithInterviews(pin: string) {
  const db = freshDatabase();
  await db.open();
  const { vault, recoveryCode } = await createLock(db, pin);
  const store = new DexieInterviewStore(db, vault);
  await store.createInterview(interview('sent', { status: 'in_progress', pickupPoint: 'Marché' }));
  await store.saveAnswer('sent', 'q1', SECRET_ANSWER, AT);
  await store.writeInterview(
    interview('sent', { status: 'completed', endedAt: AT, pickupPoint: 'Marché' }),
    [{ interviewId: 'sent', at: AT, type: 'status', detail: 'completed' }],
  );
  await store.updateInterview('sent', { sync: { state: 'sent', attempts: 1, sentAt: AT } });
  await store.createInterview(interview('waiting', { status: 'completed', endedAt: AT }));
  await store.saveAnswer('waiting', 'q1', 'réponse en attente', AT);
  await store.putSettings({
    deviceId: 'dev-1',
    site: 'lille',
    interviewer: 'ENQ-07',
    uiLanguage: 'fr',
    practiceMode: false,
    deviceToken: 'dev_secret-token-value',
  });
  return { db, store, recoveryCode };
}

describe('the tablet at rest', () => {
  it('holds no answer, place or token in clear, and the PIN opens it all', async () => {
    const { db } = await tabletWithInterviews('482913');
    const raw = await rawContent(db);
    for (const secret of [SECRET_ANSWER, 'réponse en attente', 'Marché', 'dev_secret-token-value'])
      expect(raw).not.toContain(secret);
    expect(raw).not.toContain('482913');
    const result = await unlockDevice(db, '482913');
    if (result.kind !== 'unlocked') throw new Error(`not unlocked: ${result.kind}`);
    const store = new DexieInterviewStore(db, result.vault);
    expect(await store.getAnswers('sent')).toEqual(new Map([['q1', SECRET_ANSWER]]));
    expect((await store.getInterview('sent'))?.pickupPoint).toBe('Marché');
    expect((await store.getSettings())?.deviceToken).toBe('dev_secret-token-value');
    // A store without the key reads nothing of it.
    expect((await new DexieInterviewStore(db).getInterview('sent'))?.pickupPoint).toBeUndefined();
  });

  it('erases what the server holds at the last wrong PIN, and keeps the rest for the right one', async () => {
    const { db } = await tabletWithInterviews('482913');
    for (let i = 1; i < MAX_PIN_FAILURES; i++) {
      expect(await unlockDevice(db, '000000')).toEqual({
        kind: 'wrong',
        failures: i,
        left: MAX_PIN_FAILURES - i,
        erased: false,
      });
    }
    expect(await db.interviews.count()).toBe(2);
    expect(await unlockDevice(db, '000000')).toMatchObject({ kind: 'wrong', erased: true });
    expect(await db.interviews.toCollection().primaryKeys()).toEqual(['waiting']);
    expect(await db.answers.count()).toBe(1);
    expect(await db.paradata.where('interviewId').equals('sent').count()).toBe(0);
    expect(await db.finishedAnswers.get('sent')).toBeUndefined();
    // Past the erasure, a wrong PIN makes the next try wait, even the right one.
    const clock = new Date('2026-12-07T10:00:00.000Z');
    expect(await unlockDevice(db, '000000', () => clock)).toMatchObject({ kind: 'wrong' });
    expect(await unlockDevice(db, '482913', () => clock)).toEqual({
      kind: 'wait',
      notBefore: '2026-12-07T10:00:30.000Z',
    });
    const later = new Date('2026-12-07T10:00:31.000Z');
    const result = await unlockDevice(db, '482913', () => later);
    if (result.kind !== 'unlocked') throw new Error('the right PIN did not open');
    const store = new DexieInterviewStore(db, result.vault);
    expect(await store.getAnswers('waiting')).toEqual(new Map([['q1', 'réponse en attente']]));
    expect((await readKeyRing(db))?.failures).toBe(0);
  });

  it('opens with the recovery code under a new PIN, and not with a wrong code', async () => {
    const { db, recoveryCode } = await tabletWithInterviews('482913');
    expect(recoveryCode).toMatch(/^[A-Z2-7]{5}(-[A-Z2-7]{5}){3}$/);
    expect(await recoverDevice(db, 'AAAAA-AAAAA-AAAAA-AAAAA', '135790')).toBeUndefined();
    // Typed over the phone: lower case, spaces.
    const typed = recoveryCode.toLowerCase().replaceAll('-', ' ');
    expect(normaliseRecoveryCode(typed)).toBe(recoveryCode);
    const vault = await recoverDevice(db, typed, '135790');
    if (vault === undefined) throw new Error('the recovery code did not open');
    const ring = await readKeyRing(db);
    if (ring === undefined) throw new Error('no key ring');
    expect(await recoveryCodeOf(ring, vault)).toBe(recoveryCode);
    expect(await unlockDevice(db, '482913')).toMatchObject({ kind: 'wrong' });
    expect(await unlockDevice(db, '135790')).toMatchObject({ kind: 'unlocked' });
  });

  it('seals the rows a tablet wrote before it had a key, and erases sent ones either way', async () => {
    const db = freshDatabase();
    await db.open();
    const plainStore = new DexieInterviewStore(db);
    await plainStore.createInterview(interview('old', { status: 'in_progress' }));
    await plainStore.saveAnswer('old', 'q1', SECRET_ANSWER, AT);
    await plainStore.updateInterview('old', { status: 'completed' }, [
      { interviewId: 'old', at: AT, type: 'status', detail: 'completed' },
    ]);
    await plainStore.putSettings({
      deviceId: 'dev-1',
      site: 'lille',
      interviewer: 'ENQ-07',
      uiLanguage: 'fr',
      practiceMode: false,
      deviceToken: 'dev_secret-token-value',
    });
    expect(await rawContent(db)).toContain(SECRET_ANSWER);
    const { vault } = await createLock(db, '482913');
    // Read as they are before they are sealed...
    const store = new DexieInterviewStore(db, vault);
    expect(await store.getAnswers('old')).toEqual(new Map([['q1', SECRET_ANSWER]]));
    expect(await sealPlainRows(db, vault)).toBe(5);
    const raw = await rawContent(db);
    expect(raw).not.toContain(SECRET_ANSWER);
    expect(raw).not.toContain('dev_secret-token-value');
    // ...and after.
    expect(await store.getAnswers('old')).toEqual(new Map([['q1', SECRET_ANSWER]]));
    expect(await store.getAnswersOfMany(['old'])).toEqual(
      new Map([['old', new Map([['q1', SECRET_ANSWER]])]]),
    );
    expect(await store.listParadata('old')).toEqual([
      { interviewId: 'old', at: AT, type: 'status', detail: 'completed' },
    ]);
    expect((await store.getSettings())?.deviceToken).toBe('dev_secret-token-value');
    await store.updateInterview('old', { sync: { state: 'sent', attempts: 1 } });
    expect(await eraseAcknowledged(db)).toBe(1);
    expect(await db.answers.count()).toBe(0);
  });
});
