// How the app reaches the server: `fetch`, with the bodies api.ts marks `compress` (the uploads)
// gzipped by the browser's CompressionStream, since interviews are sent over slow mobile links.
import type { Transport } from './api.ts';

/** `text` gzipped as UTF-8, or undefined where the browser has no CompressionStream. */
export async function gzip(text: string): Promise<Uint8Array<ArrayBuffer> | undefined> {
  if (typeof CompressionStream !== 'function') return undefined;
  const stream = new CompressionStream('gzip');
  const writer = stream.writable.getWriter();
  // A failure surfaces on the reading side, below.
  writer.write(new TextEncoder().encode(text)).catch(() => undefined);
  writer.close().catch(() => undefined);
  return new Uint8Array(await new Response(stream.readable).arrayBuffer());
}

/**
 * The app's transport over `send` (fetch by default, always called as a plain function: browsers
 * refuse `fetch` kept as a method with "Illegal invocation"). A body marked `compress` goes as
 * gzip (`Content-Encoding: gzip`) where the browser can make it, else as it is; a server or proxy
 * that refuses the coding (415) gets the same request again uncompressed.
 */
export function fetchTransport(
  send: (url: string, init: RequestInit) => Promise<Response> = (url, init) => fetch(url, init),
): Transport {
  return async (url, init) => {
    const { compress, body, headers, ...rest } = init;
    const plain: RequestInit = {
      ...rest,
      headers,
      ...(body === undefined ? {} : { body }),
      cache: 'no-store',
      credentials: 'omit',
    };
    const gzipped = compress === true && body !== undefined ? await gzip(body) : undefined;
    if (gzipped === undefined) return send(url, plain);
    const response = await send(url, {
      ...plain,
      headers: { ...headers, 'Content-Encoding': 'gzip' },
      body: gzipped,
    });
    return response.status === 415 ? send(url, plain) : response;
  };
}
