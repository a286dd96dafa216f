/**
 * The documentation's shell examples as tests (docs/contributing.md, "Examples are tests"):
 * reading a Markdown document's fenced blocks, checking each `sh` block's variables and tools,
 * turning the blocks into one bash script with markers, and judging what the script printed
 * against the checks (`#>` lines) the document makes. Running the script is the caller's
 * (test/docs/examples.test.ts); everything here is pure, so the runner's own tests can feed it.
 */

/** A fenced block: `sh` runs, `sh server` says how the server starts, `sh skip` never runs. */
export interface Block {
  /** 1-based line of the opening fence in the document. */
  readonly line: number;
  readonly language: string;
  readonly attributes: readonly string[];
  readonly code: string;
}

export type ShellRole = 'run' | 'server' | 'skip';

/** Fence languages that are shell but not `sh`: they would escape the runner, so they are refused. */
const OTHER_SHELLS = new Set(['bash', 'shell', 'zsh', 'console', 'shell-session', 'shellsession']);
/** Tools the examples may not assume (docs/contributing.md): sh, curl and node do everything. */
const FORBIDDEN_TOOLS = ['jq', 'uuidgen', 'python', 'python3', 'wget', 'perl', 'http'];
/** Variables the shell or the system provides. */
const SHELL_VARIABLES = new Set(['HOME', 'PATH', 'PWD', 'RANDOM', 'SECONDS', 'UID', 'USER']);
/** The marker lines the script prints between blocks and at checks, on stdout and stderr. */
export const MARKER = /^@@unwind (block:\d+|check:\d+|end)@@$/;

export function blocksOf(markdown: string): Block[] {
  const blocks: Block[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([^`\s]*)\s*(.*)$/.exec(lines[i]!);
    if (!open) continue;
    const [, indent = '', fence = '', language = '', rest = ''] = open;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const line = lines[j]!;
      const close = line.trim();
      if (close.startsWith(fence[0]!.repeat(fence.length)) && /^[`~]+$/.test(close)) break;
      body.push(line.startsWith(indent) ? line.slice(indent.length) : line.trimStart());
    }
    blocks.push({
      line: i + 1,
      language,
      attributes: rest.split(/\s+/).filter(Boolean),
      code: body.join('\n'),
    });
    i = j;
  }
  return blocks;
}

export function roleOf(block: Block): ShellRole | null {
  if (block.language !== 'sh') return null;
  if (block.attributes.includes('server')) return 'server';
  if (block.attributes.includes('skip')) return 'skip';
  return 'run';
}

/**
 * The shell text with quoted strings and comments replaced by spaces, so what remains is code:
 * `keepDouble` keeps double-quoted text (where `$X` still expands).
 */
function codeOnly(code: string, keepDouble: boolean): string {
  let out = '';
  let quote: "'" | '"' | null = null;
  for (let i = 0; i < code.length; i++) {
    const c = code[i]!;
    if (quote === "'") {
      out += c === "'" ? ((quote = null), ' ') : c === '\n' ? '\n' : ' ';
    } else if (quote === '"') {
      if (c === '\\') {
        out += keepDouble ? c + (code[i + 1] ?? '') : '  ';
        i++;
      } else if (c === '"') {
        quote = null;
        out += ' ';
      } else out += keepDouble || c === '\n' ? c : ' ';
    } else if (c === '\\') {
      out += c + (code[i + 1] ?? '');
      i++;
    } else if (c === "'" || c === '"') {
      quote = c;
      out += ' ';
    } else if (c === '#' && (i === 0 || /\s|;/.test(code[i - 1]!))) {
      while (i < code.length && code[i] !== '\n') i++;
      out += '\n';
    } else out += c;
  }
  return out;
}

/** Variables a block sets: `X=`, `export X=`, `for X in`, `read X`. */
export function assignedIn(code: string): Set<string> {
  const text = codeOnly(code, false);
  const names = new Set<string>();
  for (const m of text.matchAll(/(?:^|[\s;&|(])(?:export\s+|local\s+)?([A-Za-z_]\w*)=/gm)) {
    names.add(m[1]!);
  }
  for (const m of text.matchAll(/\bfor\s+([A-Za-z_]\w*)\s+in\b/g)) names.add(m[1]!);
  for (const m of text.matchAll(/\bread\s+(?:-\w+\s+)*([A-Za-z_]\w*(?:\s+[A-Za-z_]\w*)*)/g)) {
    for (const name of m[1]!.split(/\s+/)) names.add(name);
  }
  return names;
}

/** Variables a block uses without a default or an error message of its own (`${X:-…}`). */
export function usedIn(code: string): Set<string> {
  const text = codeOnly(code, true);
  const names = new Set<string>();
  for (const m of text.matchAll(/\$(?:\{([A-Za-z_]\w*)(:?[-?=+])?|([A-Za-z_]\w*))/g)) {
    const name = m[1] ?? m[3]!;
    if (m[2] === undefined) names.add(name);
  }
  return names;
}

/** The variables a block says it takes from the blocks above: `# Uses U, T and ORDER from above.` */
export function takenFromAbove(code: string): Set<string> {
  const names = new Set<string>();
  for (const m of code.matchAll(/^\s*#\s*Uses\s+(.+?)\s+from\s+(?:the\s+blocks?\s+)?above\b/gim)) {
    for (const name of m[1]!.matchAll(/\$?\b([A-Z_][A-Z0-9_]*)\b/g)) names.add(name[1]!);
  }
  return names;
}

/** What is wrong with a document's blocks as examples, each with its line. */
export function lintDocument(blocks: readonly Block[]): string[] {
  const problems: string[] = [];
  const available = new Set<string>();
  let servers = 0;
  let ran = false;
  for (const block of blocks) {
    if (OTHER_SHELLS.has(block.language)) {
      problems.push(
        `line ${block.line}: a \`${block.language}\` block; shell examples are \`sh\` (run as tests) or \`sh skip\``,
      );
    }
    const role = roleOf(block);
    if (role === 'server') {
      servers++;
      if (servers > 1) problems.push(`line ${block.line}: a second \`sh server\` block`);
      if (ran) problems.push(`line ${block.line}: \`sh server\` must come before the first \`sh\``);
      if (serverSettings(block) === null) {
        problems.push(`line ${block.line}: \`sh server\` names no \`npm start\` (or unwind serve)`);
      }
    }
    if (role !== 'run') continue;
    ran = true;
    problems.push(...lintBlock(block, available));
    for (const name of assignedIn(block.code)) available.add(name);
  }
  return problems;
}

function lintBlock(block: Block, available: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  const at = `line ${block.line}`;
  const code = codeOnly(block.code, false);
  for (const tool of FORBIDDEN_TOOLS) {
    if (new RegExp(`(^|[\\s;|&(])${tool}(\\s|$)`, 'm').test(code)) {
      problems.push(`${at}: uses \`${tool}\`; examples use only sh, curl and node`);
    }
  }
  if (/<</.test(code)) problems.push(`${at}: a here-document; write the file with printf or node`);
  const set = assignedIn(block.code);
  const taken = takenFromAbove(block.code);
  for (const name of taken) {
    if (!available.has(name))
      problems.push(`${at}: takes $${name} from above, but no block above sets it`);
  }
  for (const name of usedIn(block.code)) {
    if (set.has(name) || taken.has(name) || SHELL_VARIABLES.has(name)) continue;
    problems.push(
      `${at}: uses $${name} but neither sets it nor says "# Uses ${name} from above." (or \${${name}:?why})`,
    );
  }
  const lines = block.code.split('\n');
  lines.forEach((line, i) => {
    if (/^\s*#>/.test(line) && i > 0 && /\\$/.test(lines[i - 1]!)) {
      problems.push(`line ${block.line + 1 + i}: a \`#>\` check inside a continued command`);
    }
  });
  return problems;
}

/** The environment a `sh server` block starts the server with: `VAR=value … npm start`. */
export function serverSettings(block: Block): Record<string, string> | null {
  for (const line of codeOnly(block.code, true).split('\n')) {
    const m =
      /^\s*((?:[A-Z_][A-Z0-9_]*=\S*\s+)*)(?:npm start|npx unwind serve|npm run unwind -- serve)\b/.exec(
        line,
      );
    if (!m) continue;
    const env: Record<string, string> = {};
    for (const pair of m[1]!.trim().split(/\s+/).filter(Boolean)) {
      const [name = '', ...value] = pair.split('=');
      env[name] = value.join('=');
    }
    return env;
  }
  return null;
}

/** A `#>` line: the output (and HTTP status) the commands above it, since the last mark, give. */
export interface Check {
  readonly id: number;
  /** Line in the document. */
  readonly line: number;
  readonly status: number | null;
  /** Fragments that must appear in this order, compared without whitespace. */
  readonly fragments: readonly string[];
}

export interface Script {
  readonly text: string;
  readonly checks: readonly Check[];
  /** Each `sh` block's line in the document, by its index in the script. */
  readonly blockLines: readonly number[];
  /** The document's line of each line of the script (null for the runner's own lines). */
  readonly documentLines: readonly (number | null)[];
}

/** One bash script of a document's `sh` blocks, in order, with a marker before each and at each check. */
export function scriptOf(blocks: readonly Block[]): Script {
  const checks: Check[] = [];
  const blockLines: number[] = [];
  const parts: string[] = [];
  const documentLines: (number | null)[] = [];
  const emit = (text: string, line: number | null) => {
    parts.push(text);
    documentLines.push(line);
  };
  emit('set -eEuo pipefail', null);
  emit(
    '__unwind_mark() { printf \'\\n@@unwind %s@@\\n\' "$1"; printf \'\\n@@unwind %s@@\\n\' "$1" >&2; }',
    null,
  );
  // Which command failed, on which line: the document's reader gets it, not just an exit code.
  emit('trap \'printf "\\n@@failed %s %s\\n" "$LINENO" "$BASH_COMMAND" >&2\' ERR', null);
  for (const block of blocks) {
    if (roleOf(block) !== 'run') continue;
    emit(`__unwind_mark block:${blockLines.length}`, null);
    blockLines.push(block.line);
    let previousWasCheck = false;
    block.code.split('\n').forEach((line, i) => {
      const check = /^\s*#>\s?(?:(\d{3})(?:\s+|$))?(.*)$/.exec(line);
      const fragments = check?.[2]!.split('…').map((f) => f.replace(/\s+/g, '')) ?? [];
      if (check && previousWasCheck) {
        // A check continued on the next line: one check, the lines in order.
        const last = checks.pop()!;
        checks.push({ ...last, fragments: [...last.fragments, ...fragments] });
      } else if (check) {
        const id = checks.length;
        const status = check[1] ? Number(check[1]) : null;
        checks.push({ id, line: block.line + 1 + i, status, fragments });
        emit(`__unwind_mark check:${id}`, null);
      } else emit(line, block.line + 1 + i);
      previousWasCheck = check !== null;
    });
  }
  emit('__unwind_mark end', null);
  return { text: `${parts.join('\n')}\n`, checks, blockLines, documentLines };
}

interface Segment {
  /** The marker that ends the segment (`check:3`, `block:2`, `end`), or null if the script died. */
  readonly endedBy: string | null;
  /** The marker it started after. */
  readonly startedAfter: string;
  readonly text: string;
}

function segmentsOf(output: string): Segment[] {
  const segments: Segment[] = [];
  let current: string[] = [];
  let after = 'start';
  for (const line of output.split('\n')) {
    const m = MARKER.exec(line);
    if (!m) {
      current.push(line);
      continue;
    }
    segments.push({ endedBy: m[1]!, startedAfter: after, text: current.join('\n') });
    after = m[1]!;
    current = [];
  }
  segments.push({ endedBy: null, startedAfter: after, text: current.join('\n') });
  return segments;
}

/** curl's report of one answer (the runner's curlrc): status, method and URL. */
const HTTP_LINE = /^@@http (\d{3}) (.+)$/gm;

/** Whether `text` holds the fragments in order, whitespace aside. */
export function matches(text: string, fragments: readonly string[]): boolean {
  const squeezed = text.replace(/\s+/g, '');
  let from = 0;
  for (const fragment of fragments) {
    const at = squeezed.indexOf(fragment, from);
    if (at < 0) return false;
    from = at + fragment.length;
  }
  return true;
}

/** Where the script was when `marker` was its last word, in the document's terms. */
function place(script: Script, marker: string): string {
  const [kind, n] = marker.split(':');
  if (kind === 'block') return `in the block at line ${script.blockLines[Number(n)]}`;
  if (kind === 'check') return `after the check at line ${script.checks[Number(n)]!.line}`;
  return marker === 'end' ? 'at the end' : 'at the start';
}

/** Everything the run got wrong: a failed command, a check not met, an HTTP error not announced. */
export function judge(
  script: Script,
  run: { code: number | null; stdout: string; stderr: string },
): string[] {
  const failures: string[] = [];
  const out = segmentsOf(run.stdout);
  const err = segmentsOf(run.stderr);
  const finished = out.some((s) => s.endedBy === 'end');
  if (run.code !== 0 || !finished) {
    const last = out.at(-1)!;
    const lastErr = err.at(-1)!;
    const failed = [...lastErr.text.matchAll(/^@@failed (\d+) (.*)$/gm)].at(-1);
    const line = failed ? script.documentLines[Number(failed[1]) - 1] : null;
    const where = place(script, last.startedAfter);
    const what = failed
      ? `line ${line ?? '?'}: \`${failed[2]}\` failed (exit ${run.code}), ${where}`
      : `a command failed (exit ${run.code}) ${where}`;
    const errors = lastErr.text.replace(/^@@failed .*$/gm, '').trim();
    failures.push(
      `${what}:\n` +
        `--- its output:\n${last.text.trim().split('\n').slice(-15).join('\n')}\n` +
        `--- its errors:\n${errors.split('\n').slice(-15).join('\n')}`,
    );
  }
  for (const [i, segment] of err.entries()) {
    const check = segment.endedBy?.startsWith('check:')
      ? script.checks[Number(segment.endedBy.slice(6))]
      : undefined;
    const statuses = [...segment.text.matchAll(HTTP_LINE)].map((m) => ({
      status: Number(m[1]),
      url: m[2]!,
    }));
    for (const { status, url } of statuses) {
      if (status >= 400 && status !== check?.status) {
        failures.push(
          `${url} answered ${status} ${place(script, segment.startedAfter)}, and no \`#> ${status} …\` check says it should`,
        );
      }
    }
    if (check?.status && !statuses.some((s) => s.status === check.status)) {
      failures.push(
        `line ${check.line}: expected an HTTP ${check.status}, got ${statuses.map((s) => s.status).join(', ') || 'no request'}`,
      );
    }
    const text = out[i]?.text ?? '';
    if (check && out[i]?.endedBy === segment.endedBy && !matches(text, check.fragments)) {
      failures.push(
        `line ${check.line}: the output does not contain ${JSON.stringify(check.fragments.join('…'))}:\n${text.trim().split('\n').slice(-10).join('\n')}`,
      );
    }
  }
  return failures;
}
