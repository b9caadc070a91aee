// The server of figure 6, compiled as `npm start` runs it: tests/helpers/export-server.ts (a server
// on an existing SQLite file that prints its port), built by bench/run.ts with the other entries.
import '../tests/helpers/export-server.ts';
