// The device export in a worker: the interface stays responsive while thousands of interviews
// are read, anonymised and written. It opens the same IndexedDB database as the page, and reads
// the answers a step of interviews at a time (export-store.ts).
import { QuestionnaireCache } from '../questionnaires/catalogue.ts';
import { openDeviceStore } from '../storage/index.ts';
import { EXPORT_STEP, runDeviceExport } from './device-export.ts';
import type { WorkerMessage, WorkerRequest } from './export-client.ts';
import { Vault } from '../storage/vault.ts';
import { ExportStore } from './export-store.ts';

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<WorkerRequest>) => void) | null;
  postMessage(message: WorkerMessage): void;
};

scope.onmessage = (event) => {
  void (async () => {
    try {
      const { request, key } = event.data;
      const { db } = await openDeviceStore();
      const vault = key === undefined ? undefined : new Vault(key);
      const store = new ExportStore(db, request, EXPORT_STEP, vault);
      try {
        const result = await runDeviceExport(
          store,
          new QuestionnaireCache(store),
          request,
          (done, total) => scope.postMessage({ kind: 'progress', done, total }),
        );
        const blob = new Blob(result.parts as string[], { type: 'text/csv;charset=utf-8' });
        scope.postMessage({ kind: 'done', blob, rows: result.rows, skipped: result.skipped });
      } finally {
        db.close();
      }
    } catch (error) {
      scope.postMessage({
        kind: 'failed',
        message: error instanceof Error ? error.message : String(error),
      });
    }
  })();
};
