// Runs `migrate` in its own process: node migrate-child.mjs <built core dir> <database url> <migrations dir> [options JSON]
// Prints one JSON line per progress event, then the result. Options JSON is merged into migrate's options
// (e.g. {"finalize": true}).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [coreDir, url, dir, extra] = process.argv.slice(2);
const load = (path) => import(pathToFileURL(join(coreDir, path)).href);
const { migrate } = await load('runner/index.js');
const { openDatabase } = await load('db/index.js');
const { parseMigration } = await load('migration/index.js');

const migrations = readdirSync(dir)
  .filter((f) => f.endsWith('.sql'))
  .map((f) => parseMigration({ path: join(dir, f), relPath: f, text: readFileSync(join(dir, f), 'utf8') }));
const db = await openDatabase({ url });
const result = await migrate({
  db,
  migrations,
  envName: 'test',
  environment: { approvals: 0 },
  appliedBy: 'child',
  toolVersion: 'test',
  onProgress: (event) => console.log(JSON.stringify(event)),
  ...(extra ? JSON.parse(extra) : {}),
});
console.log(JSON.stringify({ type: 'result', ok: result.ok, applied: result.applied.length }));
await db.close();
