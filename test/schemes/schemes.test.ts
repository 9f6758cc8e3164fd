import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import Ajv2020Module from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import addFormatsModule from 'ajv-formats';
import { loadCatalogue } from '../../harness/catalogue/load.js';
import { cataloguePath, schemaPath } from '../../harness/paths.js';
import { renderSchemeHtml } from '../../harness/reporters/scheme-html.js';
import { renderSchemeTable } from '../../harness/reporters/scheme-table.js';
import type { Results } from '../../harness/results/schema.js';
import { loadScheme, mappedStar1, parseScheme, schemeIds } from '../../harness/schemes/load.js';
import { schemeVerdict } from '../../harness/schemes/rollup.js';
import { schemeView } from '../../harness/schemes/view.js';
import type { Verdict } from '../../harness/verdicts/verdict.js';
import { interrupted, sampleResults, XSS_PAYLOAD } from '../fixtures/results/sample.js';
import { finishedRunFolder } from '../checklist/run-folder.js';
import { jcstar } from '../support/cli.js';
import { tempDir } from '../support/run-profile.js';

// ajv and ajv-formats are CommonJS; under NodeNext their classes arrive as the `default` member.
const Ajv2020 = Ajv2020Module.default;
const addFormats = addFormatsModule.default;

function validateSchemeView(document: unknown): string[] {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(schemaPath('scheme-view.schema.json'), 'utf8')));
  return validate(document) ? [] : (validate.errors ?? []).map((e: { instancePath: string; message?: string }) => `${e.instancePath} ${e.message}`);
}

/** The sample results with some ★1 requirements' verdicts replaced. */
function withVerdicts(verdicts: Record<string, Verdict>): Results {
  return { ...sampleResults, requirements: sampleResults.requirements.map((r) => ({ ...r, verdict: verdicts[r.id] ?? r.verdict })) };
}

describe('scheme mappings', () => {
  const catalogue = loadCatalogue();
  const star1 = new Set(catalogue.requirements.map((r) => r.id));

  it('lists the three schemes', () => {
    expect(schemeIds()).to.deep.equal(['nistir-8425', 'sg-cls-1', 'uk-psti']);
  });

  for (const id of ['uk-psti', 'sg-cls-1', 'nistir-8425']) {
    it(`${id} loads and validates against the catalogue`, () => {
      expect(loadScheme(id).id).to.equal(id);
    });
  }

  describe('refuses a mapping that names what the ★1 catalogue does not know, rather than call it not covered', () => {
    const document = () => parse(readFileSync(cataloguePath('schemes', 'uk-psti.yaml'), 'utf8')) as { requirements: Array<{ maps: Record<string, string[]> }> };
    const refusal = (maps: Record<string, string[]>) => {
      const changed = document();
      changed.requirements[0]!.maps = maps;
      return () => parseScheme(changed, 'uk-psti.yaml', catalogue);
    };

    it('accepts the file as it is', () => {
      expect(parseScheme(document(), 'uk-psti.yaml', catalogue).requirements.map((r) => r.id)).to.deep.equal(['PSTI-1', 'PSTI-2', 'PSTI-3']);
    });

    it('an unknown ★1 ID', () => {
      expect(star1.has('S1.1-99')).to.equal(false);
      expect(refusal({ star1: ['S1.1-02', 'S1.1-99'] })).to.throw('uk-psti.yaml: PSTI-1 maps to unknown ★1 requirement(s) S1.1-99');
    });

    it('an EN 303 645 provision no ★1 requirement names (a typo)', () => {
      expect(refusal({ etsi: ['5.1-1', '5.1-l'] })).to.throw('uk-psti.yaml: PSTI-1 maps to unknown EN 303 645 provision(s) in the ★1 catalogue 5.1-l');
    });

    it('a NISTIR 8425 label no ★1 requirement names', () => {
      expect(refusal({ nistir8425: ['data-protecton'] })).to.throw('uk-psti.yaml: PSTI-1 maps to unknown NISTIR 8425 label(s) in the ★1 catalogue data-protecton');
    });
  });

  it('maps the three PSTI requirements to S1.1-02, -05 and -16, the last one inferred', () => {
    const scheme = loadScheme('uk-psti');
    expect(scheme.requirements.map((r) => [r.id, mappedStar1(r.maps, catalogue), r.confirmed])).to.deep.equal([
      ['PSTI-1', ['S1.1-02'], true],
      ['PSTI-2', ['S1.1-05'], true],
      ['PSTI-3', ['S1.1-16'], false],
    ]);
  });

  it('maps each CLS Level 1 clause through the catalogue\'s ETSI provisions to a ★1 requirement, all inferred', () => {
    const scheme = loadScheme('sg-cls-1');
    expect(scheme.requirements.map((r) => [r.id, mappedStar1(r.maps, catalogue), r.confirmed])).to.deep.equal([
      ['5.1-1', ['S1.1-02'], false],
      ['5.1-2', ['S1.1-02'], false],
      ['5.2-1', ['S1.1-05'], false],
      ['5.3-2', ['S1.1-06'], false],
      ['5.3-13', ['S1.1-16'], false],
    ]);
  });

  it('gives every NISTIR 8425 label in the ★1 catalogue an outcome, and says which outcome ★1 does not reach', () => {
    const scheme = loadScheme('nistir-8425');
    const claimed = new Set(scheme.requirements.flatMap((r) => r.maps?.nistir8425 ?? []));
    for (const label of catalogue.requirements.flatMap((r) => r.nistir8425)) expect(claimed.has(label), label).to.equal(true);
    expect(scheme.requirements.filter((r) => mappedStar1(r.maps, catalogue).length === 0).map((r) => r.id)).to.deep.equal(['cybersecurity-state-awareness']);
    expect(mappedStar1(scheme.requirements.find((r) => r.id === 'asset-identification')!.maps, catalogue)).to.deep.equal(['S1.1-10']);
  });

  it('rolls up: any FAIL → FAIL, all PASS → PASS, else the weakest; nothing mapped → null', () => {
    expect(schemeVerdict(['PASS', 'FAIL', 'ERROR'])).to.equal('FAIL');
    expect(schemeVerdict(['PASS', 'PASS'])).to.equal('PASS');
    expect(schemeVerdict(['PASS', 'NOT_APPLICABLE'])).to.equal('PASS');
    expect(schemeVerdict(['NOT_APPLICABLE'])).to.equal('NOT_APPLICABLE');
    expect(schemeVerdict(['PASS', 'MANUAL'])).to.equal('MANUAL');
    expect(schemeVerdict(['MANUAL', 'INCONCLUSIVE'])).to.equal('INCONCLUSIVE');
    expect(schemeVerdict(['INCONCLUSIVE', 'ERROR', 'PASS'])).to.equal('ERROR');
    expect(schemeVerdict([])).to.equal(null);
  });

  describe('views', () => {
    it('a FAIL on S1.1-02 makes the PSTI password requirement FAIL', () => {
      const view = schemeView(withVerdicts({ 'S1.1-02': 'FAIL', 'S1.1-05': 'PASS', 'S1.1-16': 'PASS' }), loadScheme('uk-psti'));
      expect(view.requirements.map((r) => [r.id, r.verdict, r.reason])).to.deep.equal([
        ['PSTI-1', 'FAIL', 'from ★1 S1.1-02 FAIL'],
        ['PSTI-2', 'PASS', 'from ★1 S1.1-05 PASS'],
        ['PSTI-3', 'PASS', 'from ★1 S1.1-16 PASS'],
      ]);
      expect(view.summary).to.deep.equal({ requirements: { PASS: 2, FAIL: 1, NOT_APPLICABLE: 0, INCONCLUSIVE: 0, MANUAL: 0, ERROR: 0 }, notCovered: 0 });
    });

    it('all PSTI requirements PASS when their ★1 requirements do', () => {
      const view = schemeView(withVerdicts({ 'S1.1-02': 'PASS', 'S1.1-05': 'PASS', 'S1.1-16': 'PASS' }), loadScheme('uk-psti'));
      expect(view.requirements.map((r) => r.verdict)).to.deep.equal(['PASS', 'PASS', 'PASS']);
    });

    for (const id of ['uk-psti', 'sg-cls-1', 'nistir-8425']) {
      it(`the ${id} view of the sample camera validates against schemas/scheme-view.schema.json`, () => {
        const view = JSON.parse(JSON.stringify(schemeView(sampleResults, loadScheme(id))));
        expect(validateSchemeView(view)).to.deep.equal([]);
      });
    }

    it('a NISTIR outcome the run cannot reach is not covered, and a data-protection outcome rolls up S1.1-11, -12 and -15', () => {
      const view = schemeView(sampleResults, loadScheme('nistir-8425'));
      const outcome = (id: string) => view.requirements.find((r) => r.id === id)!;
      expect([outcome('cybersecurity-state-awareness').verdict, outcome('cybersecurity-state-awareness').star1]).to.deep.equal([null, []]);
      expect(outcome('data-protection').star1.map((s) => [s.id, s.verdict])).to.deep.equal([['S1.1-11', 'INCONCLUSIVE'], ['S1.1-12', 'FAIL'], ['S1.1-15', 'MANUAL']]);
      expect(outcome('data-protection').verdict).to.equal('FAIL');
      expect(view.summary.notCovered).to.equal(1);
    });

    it('the table says when the run was interrupted', () => {
      expect(renderSchemeTable(schemeView(interrupted(), loadScheme('uk-psti'))).split('\n').slice(-3)).to.deep.equal(['', 'Run interrupted: results are incomplete.', '']);
      expect(renderSchemeTable(schemeView(sampleResults, loadScheme('uk-psti')))).to.not.contain('incomplete');
    });

    it('the HTML page escapes device text', () => {
      const results = structuredClone(sampleResults);
      results.device.model = XSS_PAYLOAD;
      const page = renderSchemeHtml(schemeView(results, loadScheme('uk-psti')));
      expect(page).to.not.contain(XSS_PAYLOAD);
      expect(page).to.contain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(page).to.contain('<h1>UK PSTI view of a JC-STAR ★1 run</h1>');
    });
  });

  describe('CLI', function () {
    this.timeout(60000);

    it('prints the view as JSON, writes it with the HTML page into --out, and exits 1 on a FAIL', async () => {
      const runDir = finishedRunFolder(sampleResults);
      const out = tempDir('jcstar-scheme-');
      const r = await jcstar(['scheme', runDir, '--scheme', 'uk-psti', '--json', '--out', out]);
      expect(r.code, r.stderr).to.equal(1);
      const printed = JSON.parse(r.stdout);
      expect(printed.requirements.map((q: { id: string; verdict: string }) => [q.id, q.verdict])).to.deep.equal([['PSTI-1', 'FAIL'], ['PSTI-2', 'PASS'], ['PSTI-3', 'PASS']]);
      expect(JSON.parse(readFileSync(join(out, 'scheme-uk-psti.json'), 'utf8'))).to.deep.equal(printed);
      expect(readFileSync(join(out, 'scheme-uk-psti.html'), 'utf8')).to.contain('<title>UK PSTI: Example Devices K.K. IPC-200</title>');
      expect(existsSync(join(runDir, 'scheme-uk-psti.json'))).to.equal(false);
    });

    it('prints a table by default and lists the schemes with --list', async () => {
      const runDir = finishedRunFolder(sampleResults);
      const table = await jcstar(['scheme', runDir, '--scheme', 'sg-cls-1']);
      expect(table.code).to.equal(1);
      expect(table.stdout.split('\n')[3]).to.equal('5.1-1   FAIL          * Passwords unique per device or defined by the user — from ★1 S1.1-02 FAIL');
      const list = await jcstar(['scheme', '--list']);
      expect(list.code).to.equal(0);
      expect(list.stdout.split('\n').map((l) => l.split(' ')[0])).to.deep.equal(['nistir-8425', 'sg-cls-1', 'uk-psti', '']);
    });

    it('has --help with its exit codes', async () => {
      const r = await jcstar(['scheme', '--help']);
      expect(r.code).to.equal(0);
      expect(r.stdout).to.contain('Usage: jcstar scheme [options] [run-dir]');
      expect(r.stdout).to.contain('Exit codes: 0 no scheme requirement FAILs · 1 at least one FAILs, or the run folder no longer matches its manifest · 2 usage error.');
    });

    it('exits 1 and writes nothing when the run folder no longer matches its manifest', async () => {
      const runDir = finishedRunFolder(sampleResults);
      writeFileSync(join(runDir, 'results.json'), readFileSync(join(runDir, 'results.json'), 'utf8').replace('"verdict": "FAIL"', '"verdict": "PASS"'));
      const out = tempDir('jcstar-scheme-');
      const r = await jcstar(['scheme', runDir, '--scheme', 'uk-psti', '--out', out]);
      expect([r.code, r.stdout]).to.deep.equal([1, '']);
      expect(r.stderr).to.match(new RegExp(`^jcstar scheme: ${runDir} does not match its manifest; nothing was written:\n {2}changed: results\\.json \\(sha256 [0-9a-f]{64}, manifest says [0-9a-f]{64}\\)\n$`));
      expect(readdirSync(out)).to.deep.equal([]);
    });

    it('exits 2 on an unknown scheme, naming the known ones', async () => {
      const r = await jcstar(['scheme', finishedRunFolder(sampleResults), '--scheme', 'eu-cra']);
      expect(r.code).to.equal(2);
      expect(r.stderr).to.equal('jcstar: --scheme eu-cra: unknown scheme; known: nistir-8425, sg-cls-1, uk-psti\n');
    });
  });
});
