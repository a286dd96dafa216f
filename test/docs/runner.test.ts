// Proves the documentation runner can fail (test/support/doc-runner.ts): on small documents of
// its own, run against a real server, a failing command, an output a `#>` check does not find,
// an HTTP error no check announces, a variable a block neither sets nor names, and a forbidden
// tool each fail with the document's line; variables carry from block to block, an announced
// error passes, `sh skip` blocks never run, and a receiver an example leaves running is ended.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runDocument } from '../support/doc-runner.js';
import { sqliteFactory } from '../support/stores.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const fence = '```';
const doc = (...blocks: string[]) => blocks.join('\n\nSome prose.\n\n');
const sh = (code: string, info = 'sh') => `${fence}${info}\n${code}\n${fence}`;
const run = (markdown: string) => runDocument(ROOT, 'test.md', sqliteFactory, markdown, 60_000);

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'unwind-runner-test-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

describe('the documentation runner', () => {
  it('passes a document whose blocks run, carry variables and meet their checks', async () => {
    const failures = await run(
      doc(
        sh('export U="${U:?the server}" T="Authorization: Bearer ${ADMIN_TOKEN:?its token}"'),
        sh(
          [
            '# Uses U and T from above.',
            'ID=$(curl -s -XPOST $U/admin/merchants -H "$T" -H \'content-type: application/json\' \\',
            '  -d \'{"name": "Runner"}\' | node -pe \'JSON.parse(require("fs").readFileSync(0)).id\')',
            'curl -s $U/admin/merchants/$ID -H "$T"',
            '#> {"id":"…","name": "Runner"',
            'curl -s $U/admin/nope -H "$T"',
            '#> 404 {"error": {"code": "http.route_not_found"',
          ].join('\n'),
        ),
        sh('exit 1', 'sh skip'),
      ),
    );
    assert.deepEqual(failures, []);
  });

  it('fails on a command that fails, naming the block', async () => {
    const failures = await run(doc(sh('echo fine'), sh('echo before\nfalse\necho after')));
    assert.equal(failures.length, 1, failures.join('\n'));
    assert.match(
      failures[0]!,
      /^test\.md: line 9: `false` failed \(exit 1\), in the block at line 7:/,
    );
    assert.match(failures[0]!, /before/);
    assert.doesNotMatch(failures[0]!, /after/);
  });

  it('fails on a check whose output does not appear', async () => {
    const failures = await run(doc(sh('echo \'{"status": "open"}\'\n#> {"status": "closed"}')));
    assert.equal(failures.length, 1, failures.join('\n'));
    assert.match(failures[0]!, /^test\.md: line 3: the output does not contain/);
  });

  it('fails on an HTTP error no check announces, and on an announced one that did not come', async () => {
    const failures = await run(
      doc(sh('curl -s "${U:?}/admin/orders"'), sh('curl -s "${U:?}/healthz"\n#> 404')),
    );
    assert.equal(failures.length, 2, failures.join('\n'));
    assert.match(
      failures[0]!,
      /GET http:\/\/127\.0\.0\.1:\d+\/admin\/orders answered 401 in the block at line 1/,
    );
    assert.match(failures[1]!, /line 9: expected an HTTP 404, got 200/);
  });

  it('refuses a block that uses a variable it neither sets nor names, before running anything', async () => {
    const marker = path.join(scratch, 'ran');
    const failures = await run(
      doc(
        sh(`touch ${marker}`),
        sh('curl -s $U/admin/orders/$ORDER'),
        sh('# Uses MERCHANT from above.'),
      ),
    );
    assert.deepEqual(failures, [
      'test.md line 7: uses $U but neither sets it nor says "# Uses U from above." (or ${U:?why})',
      'test.md line 7: uses $ORDER but neither sets it nor says "# Uses ORDER from above." (or ${ORDER:?why})',
      'test.md line 13: takes $MERCHANT from above, but no block above sets it',
    ]);
    assert.equal(fs.existsSync(marker), false, 'nothing ran');
  });

  it('refuses tools the examples may not assume, and other shell fences', async () => {
    const failures = await run(
      doc(sh('ID=$(echo {} | jq .id)'), sh('uuidgen'), `${fence}bash\necho hi\n${fence}`),
    );
    assert.deepEqual(failures, [
      'test.md line 1: uses `jq`; examples use only sh, curl and node',
      'test.md line 7: uses `uuidgen`; examples use only sh, curl and node',
      'test.md line 13: a `bash` block; shell examples are `sh` (run as tests) or `sh skip`',
    ]);
  });

  it('ends what an example leaves running in the background', async () => {
    const pidFile = path.join(scratch, 'sleeper.pid');
    const failures = await run(doc(sh(`sleep 600 &\necho $! > ${pidFile}`)));
    assert.deepEqual(failures, []);
    const pid = Number(fs.readFileSync(pidFile, 'utf8'));
    // SIGKILL lands asynchronously: wait (bounded) until the process is gone or a zombie.
    const alive = () => {
      try {
        return !/^State:\s+Z/m.test(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
      } catch {
        return false;
      }
    };
    for (let i = 0; i < 100 && alive(); i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(alive(), false, `sleep ${pid} still runs`);
  });

  it('starts the server with the settings of the `sh server` block', async () => {
    const failures = await run(
      doc(
        sh('UNWIND_TEST_CLOCK=1 npm start', 'sh server'),
        sh(
          'curl -s "${U:?}/admin/clock" -H "Authorization: Bearer ${ADMIN_TOKEN:?}"\n#> "test_clock":true',
        ),
      ),
    );
    assert.deepEqual(failures, []);
  });
});
