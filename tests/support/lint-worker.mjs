// A worker thread that runs the built pgwarden engine (packages/core/dist) on request, so that a
// test can put a time bound on each call: a synchronous hang in a rule or in the parser cannot be
// interrupted in the test's own thread, but a worker can be terminated.
//
// Requests (postMessage):
//   { id, type: 'paths', root, paths }        lint(defaultConfig(root), { paths }), then every formatter
//   { id, type: 'source', root, relPath, text } lintSource(defaultConfig(root), { relPath, text }), then every formatter
// Replies: { id, findings, formatted: { name: length } } or { id, error: stack }.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';

const { coreDist } = workerData;
const { lint, lintSource, FORMATTERS } = await import(new URL('lint/index.js', coreDist).href);
const { defaultConfig } = await import(new URL('config/index.js', coreDist).href);

function formatAll(findings, root, filesLinted, inMemory) {
  const lengths = {};
  for (const [name, format] of Object.entries(FORMATTERS)) {
    for (const color of [false, true]) {
      const output = format(findings, {
        source: (file) => {
          if (inMemory && file === inMemory.relPath) return inMemory.text;
          try {
            return readFileSync(resolve(root, file), 'utf8');
          } catch {
            return undefined;
          }
        },
        color,
        filesLinted,
        toolVersion: '0.0.0-fuzz',
      });
      if (typeof output !== 'string') throw new Error(`formatter ${name} returned ${typeof output}`);
      lengths[`${name}${color ? '+color' : ''}`] = output.length;
    }
  }
  return lengths;
}

parentPort.on('message', async (request) => {
  try {
    if (request.type === 'paths') {
      const result = await lint(defaultConfig(request.root), { paths: request.paths });
      const formatted = formatAll(result.findings, request.root, result.filesLinted);
      parentPort.postMessage({ id: request.id, findings: result.findings, formatted });
    } else if (request.type === 'source') {
      const findings = await lintSource(defaultConfig(request.root), { relPath: request.relPath, text: request.text });
      const formatted = formatAll(findings, request.root, 1, request);
      parentPort.postMessage({ id: request.id, findings, formatted });
    } else {
      throw new Error(`unknown request type ${request.type}`);
    }
  } catch (error) {
    parentPort.postMessage({ id: request.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});

parentPort.postMessage({ ready: true });
