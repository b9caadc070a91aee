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
      worker.postMessage(request);
    });
  } finally {
    worker.terminate();
  }
}
