import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { schemaPath } from '../../harness/paths.js';
import { cameraRun, type CameraRun } from '../fixtures/results/camera-runs.js';
import { jcstar } from '../support/cli.js';

const Ajv2020 = Ajv2020Module.default;
const addFormats = addFormatsModule.default;

function validateDiffJson(document: unknown): string[] {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(schemaPath('diff.schema.json'), 'utf8')));
  return validate(document) ? [] : (validate.errors ?? []).map((e: { instancePath: string; message?: string }) => `${e.instancePath} ${e.message}`);
}

describe('jcstar diff', function () {
  this.timeout(60000);
  let root: string;
  const folder = (run: CameraRun) => join(root, run);

  before(() => {
    root = mkdtempSync(join(tmpdir(), 'jcstar-diff-'));
    for (const run of ['before', 'after'] as const) {
      mkdirSync(folder(run));
      writeFileSync(join(folder(run), 'results.json'), JSON.stringify(cameraRun(run)));
    }
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('before → after a fix: lists the fixed findings and exits 0', async () => {
    const { code, stdout, stderr } = await jcstar(['diff', folder('before'), folder('after')]);
    expect(stderr).to.equal('');
    expect(code).to.equal(0);
    expect(stdout).to.include('before: cam-before (ACME CAM-1 1.0.0, unit U1)\nafter:  cam-after (ACME CAM-1 1.1.0, unit U1)\n');
    expect(stdout).to.include('Requirements: 2 changed\n  S1.1-01  FAIL → PASS\n  S1.1-02  FAIL → PASS\n');
    expect(stdout).to.include('Checks: 3 changed, 0 added, 0 removed\n');
    expect(stdout).to.include('Findings: 4 fixed, 0 new, 1 unchanged\n');
    expect(stdout).to.include('  fixed      critical  S1.1-01  S1.1-01/interface-inventory/tcp: 2323/tcp telnet "BusyBox v1.30 <script>alert(1)</script>" (known debug or factory service: Telnet, a login shell in plaintext)\n');
    expect(stdout).to.include('  fixed      high      S1.1-12  S1.1-12/crypto/web-admin: accepts TLSv1.0 (SSL 3.0, TLS 1.0 and 1.1: deprecated by RFC 8996)\n');
    expect(stdout.trimEnd().split('\n').at(-1)).to.equal('No regression: the run completed, no verdict got worse and no new finding.');
    expect(stdout).to.not.include('\x1b[');
  });

  it('after → before: exits 1 and names the new FAILs and findings with their remedies', async () => {
    const { code, stdout } = await jcstar(['diff', folder('after'), folder('before')]);
    expect(code).to.equal(1);
    expect(stdout).to.include('  new        critical  S1.1-02  S1.1-02/default-credentials/web-admin: web-admin (443/tcp https)\n                       remedy: remove the universal default password from web-admin: unique per device, or set by the user at first use\n');
    expect(stdout).to.include('\nRegression: 9 reason(s)\n  S1.1-01: PASS → FAIL\n  S1.1-02: PASS → FAIL\n');
    expect(stdout.trimEnd().split('\n').at(-1)).to.equal('  new finding S1.1-12/crypto/web-admin: accepts TLSv1.1 (SSL 3.0, TLS 1.0 and 1.1: deprecated by RFC 8996)');
  });

  it('exits 1 when run-b was aborted with every verdict INCONCLUSIVE, and says why', async () => {
    const bricked = cameraRun('after');
    bricked.run.status = 'aborted';
    bricked.run.statusReason = 'the device stopped answering';
    for (const entry of [...bricked.requirements, ...bricked.checks]) entry.verdict = 'INCONCLUSIVE';
    const dir = join(root, 'bricked');
    mkdirSync(dir);
    writeFileSync(join(dir, 'results.json'), JSON.stringify(bricked));
    const { code, stdout } = await jcstar(['diff', folder('after'), dir]);
    expect(code).to.equal(1);
    expect(stdout).to.include('\nRegression: 6 reason(s)\n  run-b was aborted: the device stopped answering\n  S1.1-01: PASS → INCONCLUSIVE\n');
    expect(stdout).to.include('\n  S1.1-12/crypto/web-admin: PASS → INCONCLUSIVE\n');
  });

  it('--json prints only JSON, valid against the published diff schema', async () => {
    const { code, stdout } = await jcstar(['diff', '--json', folder('after'), folder('before')]);
    expect(code).to.equal(1);
    const diff = JSON.parse(stdout);
    expect(validateDiffJson(diff)).to.deep.equal([]);
    expect(diff.findings.new.map((f: { item: string }) => f.item)).to.deep.equal([
      '2323/tcp telnet "BusyBox v1.30 <script>alert(1)</script>" (known debug or factory service: Telnet, a login shell in plaintext)',
      'web-admin (443/tcp https)',
      'accepts TLSv1.0 (SSL 3.0, TLS 1.0 and 1.1: deprecated by RFC 8996)',
      'accepts TLSv1.1 (SSL 3.0, TLS 1.0 and 1.1: deprecated by RFC 8996)',
    ]);
    expect(diff.regression).to.equal(true);
  });

  it('exits 2 on a missing folder, a folder without results.json, or results.json that is not one', async () => {
    const empty = join(root, 'empty');
    mkdirSync(empty);
    const broken = join(root, 'broken');
    mkdirSync(broken);
    writeFileSync(join(broken, 'results.json'), '{"formatVersion": 3}');
    const cases = [
      [join(root, 'nowhere'), `jcstar: ${join(root, 'nowhere')} is not a run folder\n`],
      [empty, `jcstar: ${empty} holds no results.json (run \`jcstar report ${empty}\` to rebuild it from evidence.jsonl)\n`],
      [broken, `jcstar: ${join(broken, 'results.json')} is not a valid results.json: tool: Invalid input: expected object, received undefined\n`],
    ];
    for (const [dir, message] of cases) {
      const { code, stdout, stderr } = await jcstar(['diff', folder('before'), dir]);
      expect([code, stdout, stderr]).to.deep.equal([2, '', message]);
    }
    expect((await jcstar(['diff', folder('before')])).code).to.equal(2);
  });

  it('documents its exit codes in --help', async () => {
    const { code, stdout } = await jcstar(['diff', '--help']);
    expect(code).to.equal(0);
    expect(stdout).to.include(
      [
        'Exit codes: 0 no regression · 1 regression: run-b was aborted or interrupted, a verdict became FAIL, a PASS or',
        'NOT_APPLICABLE requirement or check is now anything else or absent, or a new finding (the output says which)',
        '· 2 usage (a folder or its results.json missing or invalid).',
      ].join('\n'),
    );
  });
});
