/**
 * Runs the compiled `unwind` CLI as a real child process for process-level tests: start a server
 * on a free port and wait until it listens, signal it, wait for its exit, talk to it with a small
 * JSON client, and run one-shot CLI commands. Every child is killed when the test process exits.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONFIG_VARIABLES } from '../../src/config.js';

/** dist/src/cli/main.js, resolved from this file's compiled location (dist/test/support). */
export const CLI_PATH = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../src/cli/main.js',
);

/** The ADMIN_TOKEN servers get unless a test asks for none. */
export const E2E_ADMIN_TOKEN = 'unwind_admin_e2e_token_0123456789abcdef';

const READY_TIMEOUT_MS = 20_000;
const CLI_TIMEOUT_MS = 20_000;

export interface ExitStatus {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: Headers;
  // JSON bodies are whatever the server says; tests narrow them with assertions.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly body: any;
}

export interface HttpOptions {
  /** Bearer token; defaults to the server's admin token. null sends no Authorization header. */
  readonly token?: string | null;
  readonly headers?: Record<string, string>;
  readonly timeoutMs?: number;
}

/** One line of the child's stdout: pino JSON when it parses, else just the text. */
export interface OutputLine {
  readonly text: string;
  readonly json: Record<string, unknown> | null;
}

const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** An empty working directory, so no stray unwind.config.json is picked up by children. */
let workDir: string | undefined;
function childCwd(): string {
  if (!workDir) {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'unwind-e2e-cwd-'));
    const dir = workDir;
    process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  }
  return workDir;
}

/**
 * The environment of a child: this process's environment without any Unwind configuration (so a
 * DATABASE_URL of the developer's shell cannot redirect a SQLite test), then `env`.
 */
export function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env };
  for (const name of [...CONFIG_VARIABLES, 'UNWIND_CONFIG']) delete base[name];
  return { ...base, ...env };
}

/** A TCP port that was free a moment ago (listen on 0, read the port, close). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => (port ? resolve(port) : reject(new Error('no port from the kernel'))));
    });
  });
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface StartOptions {
  /** Store variables (TestStore.env) and anything else; merged last. */
  readonly env: Record<string, string>;
  /** ADMIN_TOKEN; defaults to E2E_ADMIN_TOKEN; null starts without one (token from the DB). */
  readonly adminToken?: string | null;
  /** LOG_LEVEL; default info (request logs are needed to see which requests were accepted). */
  readonly logLevel?: string;
  readonly readyTimeoutMs?: number;
}

export class ServerProcess {
  readonly lines: OutputLine[] = [];
  private stderrText = '';
  private partial = '';
  private readonly waiters = new Set<() => void>();
  private exitStatus: ExitStatus | null = null;
  readonly exited: Promise<ExitStatus>;
  /** The admin token the client sends by default. */
  token: string | null;

  constructor(
    readonly child: ChildProcess,
    readonly port: number,
    token: string | null,
  ) {
    this.token = token;
    live.add(child);
    child.stdout?.setEncoding('utf8');
    child.stderr?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => this.onStdout(chunk));
    child.stderr?.on('data', (chunk: string) => {
      this.stderrText += chunk;
      this.notify();
    });
    this.exited = new Promise((resolve) => {
      // 'close' rather than 'exit': stdout is drained by then, so no log line is missed.
      child.once('close', (code, signal) => {
        if (this.partial) this.pushLine(this.partial);
        this.partial = '';
        live.delete(child);
        this.exitStatus = { code, signal };
        this.notify();
        resolve(this.exitStatus);
      });
    });
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** Null while the process runs. */
  get exitedWith(): ExitStatus | null {
    return this.exitStatus;
  }

  get stderr(): string {
    return this.stderrText;
  }

  get stdout(): string {
    return this.lines.map((l) => l.text).join('\n');
  }

  /** Parsed JSON log records. */
  logs(): Record<string, unknown>[] {
    return this.lines.flatMap((l) => (l.json ? [l.json] : []));
  }

  /** The token from the one-time "Admin token (shown once…" banner, or null if none was shown. */
  bannerToken(): string | null {
    const at = this.lines.findIndex((l) => l.text.startsWith('Admin token (shown once'));
    return at >= 0 ? (this.lines[at + 1]?.text.trim() ?? null) : null;
  }

  /** How many times the banner appeared. */
  bannerCount(): number {
    return this.lines.filter((l) => l.text.startsWith('Admin token (shown once')).length;
  }

  /** The request ids the server logged as "incoming request" (accepted for handling). */
  acceptedRequestIds(): Set<string> {
    return new Set(
      this.logs()
        .filter((l) => l['msg'] === 'incoming request' && typeof l['reqId'] === 'string')
        .map((l) => l['reqId'] as string),
    );
  }

  kill(signal: NodeJS.Signals): void {
    if (this.exitStatus === null) this.child.kill(signal);
  }

  /** Resolves with the exit status; fails (and SIGKILLs) if the process outlives the timeout. */
  async waitForExit(timeoutMs = 15_000): Promise<ExitStatus> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.kill('SIGKILL');
        reject(
          new Error(`server pid ${this.pid} did not exit within ${timeoutMs} ms${this.tail()}`),
        );
      }, timeoutMs);
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Sends a signal and waits for the exit. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs?: number): Promise<ExitStatus> {
    this.kill(signal);
    return this.waitForExit(timeoutMs);
  }

  /** Waits until `predicate` holds, re-checked on every output line and exit; fails loudly. */
  async waitFor(what: string, predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
    if (predicate()) return;
    await new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!predicate()) return;
        done();
        resolve();
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}${this.tail()}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
    });
  }

  /** Waits for a JSON log record with this `msg`. */
  waitForLog(msg: string, timeoutMs?: number): Promise<void> {
    return this.waitFor(`log "${msg}"`, () => this.logs().some((l) => l['msg'] === msg), timeoutMs);
  }

  /** A JSON request to the server with the admin token; network errors are thrown. */
  async http(
    method: string,
    urlPath: string,
    body?: unknown,
    options: HttpOptions = {},
  ): Promise<HttpResponse> {
    const token = options.token === undefined ? this.token : options.token;
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (token) headers['authorization'] = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${this.url}${urlPath}`, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, headers: response.headers, body: parsed };
  }

  /** `http()` that must answer `expected` (else fails with the answer); returns the body. */
  async call(
    method: string,
    urlPath: string,
    body: unknown,
    expected: number,
    options: HttpOptions = {},
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
  ): Promise<any> {
    const res = await this.http(method, urlPath, body, options);
    assert.equal(
      res.status,
      expected,
      `${method} ${urlPath} → ${res.status}: ${JSON.stringify(res.body)}`,
    );
    return res.body;
  }

  /** The last output of the process, for failure messages. */
  tail(): string {
    const out = this.lines
      .slice(-20)
      .map((l) => l.text)
      .join('\n');
    const status = this.exitStatus
      ? `exited (code ${this.exitStatus.code}, signal ${this.exitStatus.signal})`
      : 'running';
    return `\n--- server pid ${this.pid} on port ${this.port}: ${status}\n--- stderr:\n${this.stderrText || '(empty)'}\n--- stdout (last 20 lines):\n${out || '(empty)'}`;
  }

  private onStdout(chunk: string): void {
    const parts = (this.partial + chunk).split('\n');
    this.partial = parts.pop() ?? '';
    for (const part of parts) this.pushLine(part);
    this.notify();
  }

  private pushLine(text: string): void {
    let json: Record<string, unknown> | null = null;
    if (text.startsWith('{')) {
      try {
        const parsed: unknown = JSON.parse(text);
        if (typeof parsed === 'object' && parsed !== null) json = parsed as Record<string, unknown>;
      } catch {
        // a line that merely starts with "{"
      }
    }
    this.lines.push({ text, json });
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}

function spawnServer(options: StartOptions, port: number, logLevel: string): ServerProcess {
  const env: Record<string, string> = {
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: logLevel,
    // Test receivers listen on 127.0.0.1, a private address; `env` may say '0' to test refusals.
    UNWIND_WEBHOOK_ALLOW_PRIVATE: '1',
    ...options.env,
  };
  const token = options.adminToken === undefined ? E2E_ADMIN_TOKEN : options.adminToken;
  if (token !== null) env['ADMIN_TOKEN'] = token;
  const child = spawn(process.execPath, [CLI_PATH, 'serve'], {
    cwd: childCwd(),
    env: childEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new ServerProcess(child, port, token);
}

/** Polls GET /healthz until it answers 200 (used when the log level hides the listening line). */
async function pollHealth(server: ServerProcess, deadline: number): Promise<boolean> {
  while (Date.now() < deadline && server.exitedWith === null) {
    try {
      const r = await server.http('GET', '/healthz', undefined, { token: null, timeoutMs: 1000 });
      if (r.status === 200) return true;
    } catch {
      // not listening yet
    }
    await delay(25);
  }
  return false;
}

/**
 * Starts `unwind serve` on a free port and resolves once it listens: on the "unwind is listening"
 * log line when the log level shows it, else on /healthz. A start that fails or hangs rejects
 * with the process's stderr and output. A port taken in the meantime is retried on another.
 */
export async function startServer(options: StartOptions): Promise<ServerProcess> {
  const logLevel = options.logLevel ?? 'info';
  const timeoutMs = options.readyTimeoutMs ?? READY_TIMEOUT_MS;
  const showsListening = ['trace', 'debug', 'info'].includes(logLevel);
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const server = spawnServer(options, port, logLevel);
    const deadline = Date.now() + timeoutMs;
    let ready = false;
    if (showsListening) {
      const listening = () =>
        server.logs().some((l) => l['msg'] === 'unwind is listening') || server.exitedWith !== null;
      await server.waitFor('"unwind is listening"', listening, timeoutMs).catch(() => undefined);
      ready = server.exitedWith === null && listening();
      if (ready) {
        const logged = server.logs().find((l) => l['msg'] === 'unwind is listening');
        if (logged?.['url'] !== server.url) {
          server.kill('SIGKILL');
          throw new Error(`server says it listens on ${String(logged?.['url'])}${server.tail()}`);
        }
      }
    } else {
      ready = await pollHealth(server, deadline);
    }
    if (ready) return server;
    if (server.exitedWith === null) server.kill('SIGKILL');
    await server.exited;
    if (attempt < 3 && /EADDRINUSE/.test(server.stderr + server.stdout)) continue;
    throw new Error(`unwind serve did not become ready within ${timeoutMs} ms${server.tail()}`);
  }
}

export interface CliResult extends ExitStatus {
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a one-shot CLI command (migrate, merchant create, admin-token) to completion. */
export function runCli(
  args: readonly string[],
  env: Record<string, string>,
  timeoutMs = CLI_TIMEOUT_MS,
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_PATH, ...args], {
      cwd: childCwd(),
      env: childEnv({ LOG_LEVEL: 'warn', ...env }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    live.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `unwind ${args.join(' ')} did not finish within ${timeoutMs} ms\n--- stderr:\n${stderr}\n--- stdout:\n${stdout}`,
        ),
      );
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      live.delete(child);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      live.delete(child);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** SIGKILLs every child still running (for `after` hooks of failed tests). */
export async function killAllServers(): Promise<void> {
  const waits = [...live].map(
    (child) =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('close', () => resolve());
        child.kill('SIGKILL');
      }),
  );
  await Promise.all(waits);
}
