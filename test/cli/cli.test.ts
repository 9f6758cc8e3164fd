import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { countingListener } from '../support/listeners.js';
import { jcstar } from '../support/cli.js';
import { validateResultsJson } from '../support/results-schema.js';
import { expectValidRunFolder } from '../support/run-folder.js';
import { tempDir } from '../support/run-profile.js';

describe('jcstar CLI', function () {
  this.timeout(120000);

  describe('--help', () => {
    const commands = ['demo', 'run', 'validate', 'requirements', 'report', 'schema', 'simulate', 'diff', 'keygen', 'bundle', 'verify', 'checklist', 'scheme', 'fleet', 'merge'];
    it('lists exactly the commands tested here', async () => {
      const listed = /\nCommands:\n([\s\S]*?)\n\n/.exec((await jcstar(['--help'])).stdout)![1]!;
      const names = [...listed.matchAll(/^  ([a-z]+) /gm)].map((m) => m[1]);
      expect(names).to.deep.equal([...commands, 'help']);
    });
    for (const command of ['', ...commands]) {
      it(`works on ${command || 'the top level'}`, async () => {
        const r = await jcstar(command ? [command, '--help'] : ['--help']);
        expect(r.code).to.equal(0);
        expect(r.stdout).to.contain(`Usage: jcstar ${command}`.trim());
      });
    }
    it('documents the exit codes', async () => {
      expect((await jcstar(['--help'])).stdout).to.contain('Exit codes: 0 no FAIL and no ERROR · 1 at least one FAIL · 2 usage or profile error');
    });
  });

  it('exits 2 on an unknown command', async () => {
    const r = await jcstar(['frobnicate']);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.contain("unknown command 'frobnicate'");
  });

  it('exits 2 with a suggestion on an unknown requirement ID in --only, before touching anything', async () => {
    const r = await jcstar(['run', 'devices/example-camera.yaml', '--only', 'S1.1-02,S1.1-2']);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.equal('jcstar: --only: unknown requirement ID "S1.1-2"; did you mean "S1.1-02"?\n');
  });

  it('validates a good profile and explains a bad one with file, line and column', async () => {
    const good = await jcstar(['validate', 'devices/example-camera.yaml'], { env: { CAM_ADMIN_PASSWORD: 'x-canary-x' } });
    expect(good.code, good.stderr).to.equal(0);
    expect(good.stderr).to.match(/^devices\/example-camera\.yaml: valid — /);
    const bad = await jcstar(['validate', 'test/fixtures/profiles/port-out-of-range.yaml']);
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.match(/^test\/fixtures\/profiles\/port-out-of-range\.yaml:\d+:\d+: services\[\d\]\.port: expected an integer from 1 to 65535, found 70000\n$/);
  });

  it('refuses a profile whose target is outside its scope before any packet is sent', async () => {
    const device = await countingListener('127.0.0.4');
    try {
      const dir = tempDir();
      const file = join(dir, 'outside.yaml');
      writeFileSync(file, `device: { vendor: A, model: B, firmware: "1", unit: U1, category: router }
target: { host: 127.0.0.4 }
scope: [127.0.0.1/32]
services:
  - { name: web, protocol: http, port: ${device.port}, auth: basic }
`);
      const r = await jcstar(['run', file, '--out', join(dir, 'run')]);
      expect(r.code).to.equal(2);
      expect(r.stderr).to.equal(`${file}:2:17: target.host: 127.0.0.4 is outside the scope (127.0.0.1/32); add it to scope or correct the address\n`);
      expect(device.connections()).to.equal(0);
      expect(existsSync(join(dir, 'run'))).to.equal(false);
    } finally {
      await device.close();
    }
  });

  it('refuses to write into a non-empty --out folder', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'run'));
    writeFileSync(join(dir, 'run', 'keep.txt'), 'old evidence');
    const r = await jcstar(['demo', '--out', join(dir, 'run')]);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.contain('is not empty; choose a new --out folder so that no evidence is overwritten');
    expect(readFileSync(join(dir, 'run', 'keep.txt'), 'utf8')).to.equal('old evidence');
  });

  it('lists the 16 requirements of the catalogue', async () => {
    const r = await jcstar(['requirements']);
    expect(r.code).to.equal(0);
    expect(r.stdout.split('\n').filter((l) => /^S1\.1-\d\d /.test(l))).to.have.length(16);
    const json = JSON.parse((await jcstar(['requirements', '--json'])).stdout);
    expect(json.requirements.map((q: { id: string }) => q.id)).to.include('S1.1-16');
  });

  it('demo --json prints only results.json on stdout, valid against the schema', async () => {
    const out = join(tempDir(), 'run');
    const r = await jcstar(['demo', '--json', '--out', out]);
    expect(r.code, r.stderr).to.equal(0);
    const results = JSON.parse(r.stdout);
    expect(validateResultsJson(results)).to.deep.equal([]);
    expect(r.stderr).to.contain('16 requirements:');
    expect(r.stderr).to.match(/\[1\/\d+\] /);
  });

  it('demo --insecure exits 1, and Ctrl-C leaves a valid partial run folder (exit 130)', async () => {
    const full = await jcstar(['demo', '--insecure', '--out', join(tempDir(), 'run')]);
    expect(full.code).to.equal(1);

    const out = join(tempDir(), 'run');
    let sent = false;
    const r = await jcstar(['demo', '--insecure', '--out', out], {
      onStderr: (text, child) => {
        if (!sent && text.includes('[1/')) {
          sent = true;
          child.kill('SIGINT');
        }
      },
    });
    expect(r.code).to.equal(130);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(results.run.status).to.equal('interrupted');
    expect(validateResultsJson(results)).to.deep.equal([]);
    expect(results.checks.some((c: { reason: string }) => c.reason.startsWith('not run: the run was interrupted'))).to.equal(true);
    expectValidRunFolder(out);

    const rebuilt = await jcstar(['report', out]);
    expect(rebuilt.code).to.equal(130);
    expect(rebuilt.stdout).to.contain('interrupted');
    expectValidRunFolder(out);
  });

  it('prints the published schemas', async () => {
    const r = await jcstar(['schema', 'profile']);
    expect(JSON.parse(r.stdout).$id).to.equal('urn:jcstar:schemas:profile');
    expect((await jcstar(['schema', 'nope'])).code).to.equal(2);
  });
});

describe('jcstar simulate + jcstar run <profile>', function () {
  this.timeout(120000);

  it('runs a written profile against the standalone simulated device and exits 1 on its defaults', async () => {
    const dir = tempDir();
    const profile = join(dir, 'sim.yaml');
    const { spawn } = await import('node:child_process');
    const { JCSTAR } = await import('../support/cli.js');
    const sim = spawn(process.execPath, [JCSTAR, 'simulate', '--insecure', '--write-profile', profile], { stdio: ['ignore', 'ignore', 'pipe'] });
    try {
      const env = await new Promise<Record<string, string>>((resolve, reject) => {
        let text = '';
        sim.stderr!.on('data', (d: Buffer) => {
          text += d.toString();
          if (text.includes('jcstar: ready')) {
            resolve(Object.fromEntries([...text.matchAll(/^export (\w+)='([^']*)'$/gm)].map((m) => [m[1]!, m[2]!])));
          }
        });
        sim.once('exit', (code) => reject(new Error(`simulate exited with ${code}: ${text}`)));
      });
      const r = await jcstar(['run', profile, '--only', 'S1.1-02', '--out', join(dir, 'run')], { env });
      expect(r.code, r.stderr).to.equal(1);
      expect(r.stdout).to.match(/S1\.1-02 +FAIL/);
      expectValidRunFolder(join(dir, 'run'));
    } finally {
      sim.kill('SIGINT');
      await new Promise((resolve) => sim.once('exit', resolve));
    }
  });
});
