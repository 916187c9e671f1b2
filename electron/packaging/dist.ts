/**
 * `npm run dist [-- electron-builder options]`: build, check that Electron's runtime and headers
 * can be fetched (electron-downloads.ts), then electron-builder with electron-builder.yml.
 * Where they cannot, one message says what and where to build instead, and the exit code is 1.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronDownloads, looksLikeFetchFailure, unfetchable, unfetchableMessage } from './electron-downloads.js';
import { withLockfileDependencies } from './lockfile-deps.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Runs electron-builder, passing its output through and keeping it to explain a failure. */
function electronBuilder(args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('npx', ['--no-install', 'electron-builder', '--config', 'electron-builder.yml', ...args], {
      cwd: ROOT,
      stdio: ['inherit', 'pipe', 'pipe'],
    });
    let output = '';
    const keep = (out: NodeJS.WriteStream) => (chunk: Buffer) => {
      output += chunk.toString();
      out.write(chunk);
    };
    child.stdout.on('data', keep(process.stdout));
    child.stderr.on('data', keep(process.stderr));
    child.on('error', (error) => resolve({ code: 1, output: error.message }));
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const built = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (built.status !== 0) return built.status ?? 1;

  const version = (JSON.parse(readFileSync(path.join(ROOT, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string })
    .version;
  const downloads = electronDownloads(version);
  // A given electronDist brings its own runtime.
  const needed = args.some((arg) => arg.includes('electronDist')) ? downloads.slice(1) : downloads;
  const missing = await unfetchable(needed);
  if (missing.length > 0) {
    console.error(unfetchableMessage(missing));
    return 1;
  }

  const { code, output } = await withLockfileDependencies(() => electronBuilder(args));
  if (code !== 0 && looksLikeFetchFailure(output)) {
    const line =
      output
        .split('\n')
        .find((text) => looksLikeFetchFailure(text))
        ?.trim() ?? 'a download failed';
    console.error(`\n${unfetchableMessage(downloads.map((download) => ({ download, error: line })))}`);
  }
  return code;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`npm run dist: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
