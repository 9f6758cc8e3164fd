import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect } from 'chai';
import { packageRoot } from '../../harness/paths.js';
import { DEBIAN_BINARIES, DEBIAN_PYTHON_DIR, DEBIAN_PYTHON_MODULES, LIGHTTPD_MODULE_DIR } from '../support/debian-binaries.js';
import { filesUnder } from '../support/run-folder.js';

/**
 * Section 7 of issue 8: a fresh Debian machine that runs .ci/run has every daemon and module the tests start.
 * The package list is .ci/debian-packages.txt; the programs are DEBIAN_BINARIES (which startDaemon and
 * requireBinaries accept, and every literal spawn in the test sources must name); the modules are those the
 * test sources load into lighttpd and nginx.
 */
const LIST_FILE = join(packageRoot, '.ci', 'debian-packages.txt');
const listed = readFileSync(LIST_FILE, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
// This file is left out: its patterns would match themselves, and the dpkg it runs is the oracle, not a daemon.
const sources = filesUnder(join(packageRoot, 'test'))
  .filter((f) => f.endsWith('.ts') && relative(packageRoot, f) !== join('test', 'ci', 'packages.test.ts'))
  .map((file) => ({ file: relative(packageRoot, file), text: readFileSync(file, 'utf8') }));

/** A literal program as the first argument of the calls that start one. */
const STARTED = /\b(?:startDaemon|spawn|spawnSync|execFile|execFileSync)\(\s*'([^']+)'/g;

function matchesIn(pattern: RegExp): Array<{ file: string; name: string }> {
  return sources.flatMap(({ file, text }) => [...text.matchAll(pattern)].map((m) => ({ file, name: m[1]! })));
}

function absent(ctx: Mocha.Context, what: string): void {
  if (process.env.CI) throw new Error(`${what} missing under CI; .ci/run must install it`);
  console.warn(`      ⚠ skipped: ${what} not installed`);
  ctx.skip();
}

/** The package dpkg says owns `path`; with merged /usr, dpkg may know the file under /bin or /sbin. */
function owner(path: string): string | null {
  for (const candidate of new Set([path, path.replace(/^\/usr(?=\/s?bin\/)/, '')])) {
    const found = spawnSync('dpkg', ['-S', candidate], { encoding: 'utf8' });
    if (found.status === 0) return found.stdout.split(':')[0]!.trim();
  }
  return null;
}

function requireDpkg(ctx: Mocha.Context): void {
  if (spawnSync('dpkg', ['--version']).status !== 0) absent(ctx, 'dpkg (a Debian system)');
}

describe('CI packages (.ci/debian-packages.txt)', function () {
  it('the README shows the same list as the file', () => {
    const readme = readFileSync(join(packageRoot, 'README.md'), 'utf8');
    const block = /```\n(apt-get install -y [^`]+)```/.exec(readme);
    expect(block, 'README: a code block with "apt-get install -y …"').not.to.equal(null);
    expect(block![1]!.replace('apt-get install -y', '').split(/\s+/).filter(Boolean)).to.deep.equal(listed);
  });

  it('every program the test sources start literally is in DEBIAN_BINARIES', () => {
    const unknown = matchesIn(STARTED).filter(({ name }) => !(name in DEBIAN_BINARIES));
    expect(unknown.map(({ file, name }) => `${file}: ${name}`)).to.deep.equal([]);
  });

  describe('each program the tests start comes from a package on the list', function () {
    for (const [binary, pkg] of Object.entries(DEBIAN_BINARIES)) {
      it(`${binary}: ${pkg}`, function () {
        requireDpkg(this);
        expect(listed, `${pkg} is not in .ci/debian-packages.txt`).to.include(pkg);
        const path = spawnSync('sh', ['-c', `command -v ${binary}`], { encoding: 'utf8' }).stdout.trim();
        if (!path) return absent(this, `${binary} (Debian package ${pkg})`);
        // A link may belong to another package than its target (/usr/bin/python3 to python3-minimal, python3.11 to python3.11-minimal).
        expect([owner(realpathSync(path)), owner(path)], `dpkg -S ${path}`).to.include(pkg);
      });
    }
  });

  describe('each Python module the tests import comes from a package on the list', function () {
    const imported = [...new Set(matchesIn(/\bfrom ([a-z_][a-z0-9_]*)[\w.]* import\b/g).map(({ name }) => name))];

    it('the test sources import Python modules only from DEBIAN_PYTHON_MODULES', () => {
      expect(imported).to.include('cryptography');
      expect(imported.filter((m) => !(m in DEBIAN_PYTHON_MODULES))).to.deep.equal([]);
    });

    for (const [module, pkg] of Object.entries(DEBIAN_PYTHON_MODULES)) {
      it(`${module}: ${pkg}`, function () {
        requireDpkg(this);
        expect(listed, `${pkg} is not in .ci/debian-packages.txt`).to.include(pkg);
        const path = join(DEBIAN_PYTHON_DIR, module);
        if (!existsSync(path)) return absent(this, `${path} (Debian package ${pkg})`);
        expect(owner(path), `dpkg -S ${path}`).to.equal(pkg);
      });
    }
  });

  describe('each module the tests load comes from a package on the list', function () {
    const lighttpd = [...new Set(matchesIn(/server\.modules \+= \(([^)]*)\)/g).flatMap(({ name }) => [...name.matchAll(/"(mod_[a-z_]+)"/g)].map((m) => m[1]!)))];
    const nginx = [...new Set(matchesIn(/load_module ([^;\s]+);/g).map(({ name }) => name))];

    it('the test sources load lighttpd modules (the scan finds them)', () => {
      expect(lighttpd).to.include('mod_openssl');
    });

    for (const path of [...lighttpd.map((m) => join(LIGHTTPD_MODULE_DIR, `${m}.so`)), ...nginx]) {
      it(path, function () {
        requireDpkg(this);
        if (!existsSync(path)) return absent(this, path);
        const pkg = owner(path);
        expect(pkg, `dpkg -S ${path}`).not.to.equal(null);
        expect(listed, `${pkg} owns ${path} but is not in .ci/debian-packages.txt`).to.include(pkg);
      });
    }
  });
});
