// Runs a device export in a worker and tells its progress; where workers are not available, runs
// it on the page (loaded on demand, so the export's code never weighs on the app's start).
import type { QuestionnaireCache } from '../questionnaires/catalogue.ts';
import type { InterviewStore } from '../storage/index.ts';
import type { DeviceExportRequest, DeviceExportResult } from './device-export.ts';

/** A finished export: the file, how many interviews it holds, those left out and why. */
export interface DeviceExportFile extends Omit<DeviceExportResult, 'parts'> {
  readonly blob: Blob;
}

export type WorkerMessage =
  | { readonly kind: 'progress'; readonly done: number; readonly total: number }
  | ({ readonly kind: 'done' } & DeviceExportFile)
  | { readonly kind: 'failed'; readonly message: string };

/** What the page sends the worker: the export, and the key the device's records are sealed with. */
export interface WorkerRequest {
  readonly request: DeviceExportRequest;
  readonly key: CryptoKey | undefined;
}

export async function exportOnDevice(
  request: DeviceExportRequest,
  onProgress: (done: number, total: number) => void,
  fallback: { readonly store: InterviewStore; readonly cache: QuestionnaireCache },
): Promise<DeviceExportFile> {
  if (typeof Worker === 'undefined') {
    const { runDeviceExport } = await import('./device-export.ts');
    const { parts, rows, skipped } = await runDeviceExport(
      fallback.store,
      fallback.cache,
      request,
      onProgress,
    );
    return { blob: new Blob(parts as string[], { type: 'text/csv;charset=utf-8' }), rows, skipped };
  }
  const worker = new Worker(new URL('./export.worker.ts', import.meta.url), { type: 'module' });
  try {
    return await new Promise<DeviceExportFile>((resolve, reject) => {
      worker.onmessage = (event: MessageEvent<WorkerMessage>) => {
        const message = event.data;
        if (message.kind === 'progress') onProgress(message.done, message.total);
        else if (message.kind === 'done') resolve(message);
        else reject(new Error(message.message));
      };
      worker.onerror = (event) => reject(new Error(event.message || 'the export worker failed'));
      // A CryptoKey is cloned to the worker as it is: not extractable there either.
      const { vaultKey } = fallback.store as { readonly vaultKey?: CryptoKey | undefined };
      worker.postMessage({ request, key: vaultKey } satisfies WorkerRequest);
    });
  } finally {
    worker.terminate();
  }
}
