// The tablets' service worker: at its installation it stores the app's files (the list the build
// injects) for offline use, several downloads at a time; then it answers the app from that store.
/// <reference lib="webworker" />
import { clientsClaim } from 'workbox-core';
import { PrecacheController, PrecacheRoute, cleanupOutdatedCaches } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';

declare const self: ServiceWorkerGlobalScope;

/**
 * Downloads at a time: a browser's connections to one HTTP/1.1 host. Unbounded, a long list can
 * run the browser out of sockets (Chromium's ERR_INSUFFICIENT_RESOURCES).
 */
const PRECACHE_PARALLEL = 6;

const precache = new PrecacheController();
precache.addToCacheList(self.__WB_MANIFEST);

/**
 * Workbox's own install (`PrecacheController.install`) fetches one entry after the other: on a 3G
 * link every entry costs a round trip, 41 of them over 12 s. This is that install, the same request
 * per entry (its integrity, `reload` past the HTTP cache for an entry that carries a revision) and
 * the same strategy (an entry already stored is kept, a failed one fails the install), run
 * PRECACHE_PARALLEL entries at a time.
 */
async function installInParallel(event: ExtendableEvent): Promise<void> {
  const queue = [...precache.getURLsToCacheKeys()];
  const download = async () => {
    for (let entry = queue.shift(); entry !== undefined; entry = queue.shift()) {
      const [url, cacheKey] = entry;
      const integrity = precache.getIntegrityForCacheKey(cacheKey);
      const request = new Request(url, {
        ...(integrity === undefined ? {} : { integrity }),
        // A revision makes the cache key differ from the address (`?__WB_REVISION__=`).
        cache: cacheKey === url ? 'default' : 'reload',
        credentials: 'same-origin',
      });
      await Promise.all(precache.strategy.handleAll({ params: { cacheKey }, request, event }));
    }
  };
  await Promise.all(Array.from({ length: PRECACHE_PARALLEL }, download));
}

self.addEventListener('install', (event) => event.waitUntil(installInParallel(event)));
// Removes what the previous version stored and this one no longer lists.
self.addEventListener('activate', precache.activate);
// ... and the caches of older Workbox versions.
cleanupOutdatedCaches();
registerRoute(new PrecacheRoute(precache));
// Any address of the app opens it offline, but /dashboard/ (the coordinators' page, online, never
// stored here) and the API, which must reach the server.
registerRoute(
  new NavigationRoute(precache.createHandlerBoundToURL('/index.html'), {
    denylist: [/^\/dashboard(\/|$)/, /^\/api\//],
  }),
);

// A new version waits until the app asks (its update prompt, between interviews: a reload in the
// middle of an interview would cut it), then takes the open pages over at once.
self.addEventListener('message', (event: ExtendableMessageEvent) => {
  const data: unknown = event.data;
  if (typeof data === 'object' && data !== null && 'type' in data && data.type === 'SKIP_WAITING')
    void self.skipWaiting();
});
clientsClaim();
