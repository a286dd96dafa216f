/**
 * Runs one Markdown document's shell examples as a reader would: a fresh Unwind server (the
 * compiled CLI, started with the settings of the document's `sh server` block) on a fresh store,
 * then every `sh` block in order in one bash session (`set -euo pipefail`, so variables carry
 * and any failing command stops it), in a scratch folder that looks like the checkout (so
 * `npx unwind`, `node dist/…` and files the examples write work and stay out of the checkout).
 * curl reports each answer's HTTP status on stderr (a curlrc of the runner's own), so an error
 * status no `#>` check announces fails the document. See docs/contributing.md.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { blocksOf, judge, lintDocument, roleOf, scriptOf, serverSettings } from './doc-examples.js';
import { startServer } from './server-process.js';
import type { StoreFactory } from './stores.js';

/** What a document's examples may take, all of them, before the runner gives up on them. */
const DOCUMENT_TIMEOUT_MS = 180_000;

/** The checkout's parts the examples may reach from their scratch folder. */
const CHECKOUT_ENTRIES = [
  'package.json',
  'node_modules',
  'dist',
  'bin',
  'scripts',
  'src',
  'test',
  'bench',
  'tsconfig.json',
  'tsconfig.dashboard.json',
];

function scratchCheckout(root: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'unwind-docs-'));
  for (const entry of CHECKOUT_ENTRIES) {
    fs.symlinkSync(path.join(root, entry), path.join(dir, entry));
  }
  const curlHome = path.join(dir, '.runner', 'curl');
  fs.mkdirSync(curlHome, { recursive: true });
  // Every answer's status on stderr, where the runner reads it; stdout stays the example's.
  fs.writeFileSync(
    path.join(curlHome, '.curlrc'),
    // show-error: curl's own complaint (a bad URL) even under -s, for the failure message.
    'show-error\nwrite-out = "%{stderr}\\n@@http %{http_code} %{method} %{url_effective}\\n"\n',
  );
  fs.mkdirSync(path.join(dir, '.runner', 'home'));
  return dir;
}

interface BashRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
}

/** Runs the script in its own process group, and ends the group (background receivers too). */
function runBash(
  scriptFile: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<BashRun> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [scriptFile], {
      cwd,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const killGroup = () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // the group is gone already
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, timeoutMs);
    child.once('error', reject);
    // 'exit', not 'close': a background process of an example may still hold the pipes.
    child.once('exit', (code) => {
      clearTimeout(timer);
      killGroup();
      setImmediate(() => resolve({ code, stdout, stderr, timedOut }));
    });
  });
}

/**
 * The failures of one document's examples (empty when every block ran and every check held);
 * `markdown` defaults to the file's text (the runner's own tests pass documents of their own).
 */
export async function runDocument(
  root: string,
  document: string,
  factory: StoreFactory,
  markdown = fs.readFileSync(path.join(root, document), 'utf8'),
  timeoutMs = DOCUMENT_TIMEOUT_MS,
): Promise<string[]> {
  const blocks = blocksOf(markdown);
  const problems = lintDocument(blocks);
  if (problems.length > 0) return problems.map((p) => `${document} ${p}`);
  if (!blocks.some((b) => roleOf(b) === 'run')) return [];
  const serverBlock = blocks.find((b) => roleOf(b) === 'server');
  const settings = serverBlock ? (serverSettings(serverBlock) ?? {}) : {};
  const store = await factory.create();
  const dir = scratchCheckout(root);
  // The server gets what the document says and nothing else: private webhook addresses are
  // off unless the document turns them on, as on a reader's machine.
  const server = await startServer({
    env: { ...store.env, UNWIND_WEBHOOK_ALLOW_PRIVATE: '0', ...settings },
    adminToken: null,
  });
  try {
    const token = server.bannerToken();
    if (!token) throw new Error(`the server printed no admin token${server.tail()}`);
    const script = scriptOf(blocks);
    const scriptFile = path.join(dir, '.runner', 'examples.sh');
    fs.writeFileSync(scriptFile, script.text);
    const env: NodeJS.ProcessEnv = {
      PATH: `${path.dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`,
      HOME: path.join(dir, '.runner', 'home'),
      CURL_HOME: path.join(dir, '.runner', 'curl'),
      LANG: 'C.UTF-8',
      // The reader's shell: where the server is, its admin token, and its store for the CLI.
      U: server.url,
      ADMIN_TOKEN: token,
      ...store.env,
      npm_config_update_notifier: 'false',
      npm_config_fund: 'false',
      npm_config_audit: 'false',
    };
    const run = await runBash(scriptFile, dir, env, timeoutMs);
    // UNWIND_DOCS_OUTPUT=1 shows what the examples printed (docs/contributing.md).
    if (process.env['UNWIND_DOCS_OUTPUT'] === '1') {
      process.stderr.write(`--- ${document}: stdout\n${run.stdout}\n--- stderr\n${run.stderr}\n`);
    }
    const failures = run.timedOut
      ? [`the examples did not finish within ${timeoutMs / 1000} s`, ...judge(script, run)]
      : judge(script, run);
    return failures.map((f) => `${document}: ${f}`);
  } finally {
    await server.stop('SIGTERM', 20_000).catch(() => server.kill('SIGKILL'));
    await store.cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
