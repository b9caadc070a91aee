// Builds the interviewer PWA (src/app) with its service worker, ships the checked questionnaire
// definitions beside it, builds the coordinator dashboard as a second page (dist/dashboard/, code
// in src/dashboard, never precached for the tablets), and configures Vitest.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { defineConfig } from 'vitest/config';
import { questionnaireFiles } from './scripts/questionnaire-files.ts';

/** Serves (dev) and emits (build) `questionnaires/index.json` and every definition it lists. */
function questionnaires(): Plugin {
  return {
    name: 'smpg-questionnaires',
    configureServer(server) {
      server.middlewares.use((request, response, next) => {
        const url = request.url?.split('?')[0] ?? '';
        if (!url.startsWith('/questionnaires/')) return next();
        const { catalogue, files } = questionnaireFiles('questionnaires');
        const body =
          url === '/questionnaires/index.json'
            ? JSON.stringify(catalogue)
            : files.find((file) => `/${file.path}` === url)?.content;
        if (body === undefined) return next();
        response.setHeader('Content-Type', 'application/json');
        response.end(body);
      });
    },
    generateBundle() {
      const { catalogue, files } = questionnaireFiles('questionnaires');
      this.emitFile({
        type: 'asset',
        fileName: 'questionnaires/index.json',
        source: JSON.stringify(catalogue),
      });
      for (const file of files)
        this.emitFile({ type: 'asset', fileName: file.path, source: file.content });
    },
  };
}

export default defineConfig({
  root: 'src/app',
  publicDir: '../../public',
  build: {
    outDir: '../../dist',
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: {
      // The app behind the lock (start.tsx) and the anonymising code are imported without
      // modulepreload links: each link the preload helper appends costs the main thread several
      // milliseconds (more on a slow tablet) in the task that draws the lock or the resumed
      // question, and their imports fetch the same files from the service worker's cache anyway.
      resolveDependencies: (filename, deps) =>
        /^assets\/(start|record)-/.test(filename) ? [] : deps,
    },
    rolldownOptions: {
      // Two pages: the app, and the dashboard, whose page must sit under the root to be emitted
      // as dist/dashboard/index.html. Shared modules (React, the core) go to shared chunks.
      input: {
        index: fileURLToPath(new URL('src/app/index.html', import.meta.url)),
        dashboard: fileURLToPath(new URL('src/app/dashboard/index.html', import.meta.url)),
      },
      output: {
        // What both pages load at start (React, zod, the core) in one chunk: left to itself the
        // splitter cuts it finer, and the tablets' first download grows. `entriesAware`: what the
        // dashboard shares only with screens the app loads on demand (the wire schemas, the quota
        // tables) goes to chunks of their own, not to the one the app loads before anything.
        codeSplitting: {
          groups: [{ name: 'shared', tags: ['$initial'], minShareCount: 2, entriesAware: true }],
        },
        // Those chunks are named after the chunks that share them (`shared~index~dashboard`):
        // `shared-*` for the one the app starts with (and its CSS), `shared-lazy-*` for the
        // others; never `dashboard`, a name the service worker's precache leaves out.
        chunkFileNames: (chunk) =>
          chunk.name.startsWith('shared~')
            ? `assets/${chunk.name.startsWith('shared~index~') ? 'shared' : 'shared-lazy'}-[hash].js`
            : 'assets/[name]-[hash].js',
        assetFileNames: (asset) =>
          (asset.names[0] ?? '').startsWith('shared~index~')
            ? 'assets/shared-[hash][extname]'
            : 'assets/[name]-[hash][extname]',
      },
    },
  },
  plugins: [
    react(),
    questionnaires(),
    VitePWA({
      // Never 'autoUpdate': it would reload the page in the middle of an interview.
      registerType: 'prompt',
      injectRegister: false,
      includeAssets: [],
      manifest: {
        name: 'SMPG Collecte',
        short_name: 'SMPG',
        description: 'Entretiens de l’enquête Santé mentale en population générale, hors ligne.',
        lang: 'fr',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        orientation: 'any',
        background_color: '#ffffff',
        theme_color: '#12355b',
        // PNG only: the browser fetches the best icon of the manifest as the page loads, in its
        // main thread, and an SVG one (a whole SVG document to build) held up the first screen.
        icons: [
          { src: 'icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: 'icon-512.png', sizes: '512x512', type: 'image/png' },
          {
            src: 'icon-512-maskable.png',
            sizes: '512x512',
            type: 'image/png',
            purpose: 'maskable',
          },
        ],
      },
      // A service worker of our own (src/app/sw.ts: navigation fallback, update on the prompt's
      // word, old caches removed), which stores the app several files at a time where Workbox's
      // generated one fetches them one after the other; the build injects the list.
      strategies: 'injectManifest',
      srcDir: '.',
      filename: 'sw.ts',
      injectManifest: {
        globPatterns: ['**/*.{js,css,html,svg,png,json,webmanifest}'],
        // The dashboard is for coordinators' laptops, online: the tablets never download it.
        globIgnores: ['dashboard/**', 'assets/dashboard-*'],
        // The SMPG definition is about 200 KB; leave room for larger ones.
        maximumFileSizeToCacheInBytes: 5 * 1024 * 1024,
      },
    }),
  ],
  test: {
    root: '.',
    include: ['tests/**/*.test.ts', 'tests/**/*.test.tsx'],
    exclude: ['tests/e2e/**', 'node_modules/**'],
    environment: 'node',
  },
});
