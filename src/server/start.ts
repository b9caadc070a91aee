// The server's entry point. `npm start` runs it compiled (dist-server/start.mjs, built by
// `npm run build` with scripts/build-server.ts): run from the TypeScript sources under tsx, every
// closure pays for esbuild's keepNames, and checking uploads takes about twice as long.
import { main } from './main.ts';

main().catch((error: unknown) => {
  // The reason is the server's own (English) words, for the logs and the operator's searches.
  process.stderr.write(
    `Le serveur n’a pas pu démarrer · the server could not start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
