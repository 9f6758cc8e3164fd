import { createHash } from 'node:crypto';
import { truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { stringify } from 'yaml';
import { checkCompleteness, runDate } from '../../harness/checks/documents/completeness.js';
import { declaredItem } from '../../harness/checks/documents/items.js';
import { AttackSurface } from '../../harness/inventory/surface.js';
import { ProfileError } from '../../harness/profile/errors.js';
import { parseProfile } from '../../harness/profile/load.js';
import type { RequirementSuite } from '../../harness/suite/define.js';
import S1_1_01 from '../../suites/S1.1-01-access-control.js';
import S1_1_02 from '../../suites/S1.1-02-default-password.js';
import S1_1_03 from '../../suites/S1.1-03-authentication-change.js';
import S1_1_05 from '../../suites/S1.1-05-vulnerability-disclosure.js';
import S1_1_07 from '../../suites/S1.1-07-update-procedure.js';
import S1_1_11 from '../../suites/S1.1-11-secure-storage.js';
import S1_1_16 from '../../suites/S1.1-16-product-information.js';
import { checkContext } from '../support/check-context.js';
import { DEVICE, tempDir } from '../support/run-profile.js';

const base = { device: DEVICE, target: { host: '127.0.99.21' }, scope: ['127.0.99.21/32'], policy: { portScan: { tcpPorts: '' }, udpScan: { payloadTable: false } } };
const VDP = { url: 'https://acme.example/psirt', contact: 'psirt@acme.example', acknowledgeWithinDays: 5, statusUpdateEveryDays: 30 };

/** A check context whose profile lives in `dir`, so that relative documents resolve there. */
async function contextIn(dir: string, declarations: Record<string, unknown>) {
  const ctx = await checkContext({ ...base, declarations });
  ctx.profile = await parseProfile(stringify({ ...base, declarations }), { file: join(dir, 'profile.yaml'), path: null });
  return ctx;
}

/** Runs every check the suite plans, by ID. */
async function runSuite(suite: RequirementSuite, declarations: Record<string, unknown>, dir = tempDir()) {
  const ctx = await contextIn(dir, declarations);
  const out: Record<string, { verdict: string; reason: string }> = {};
  for (const check of suite.plan(ctx.profile, new AttackSurface())) {
    const { verdict, reason } = await check.body({ ...ctx, checkId: check.spec.id });
    out[check.spec.id] = { verdict, reason };
  }
  return { out, ctx };
}

describe('document completeness checks (declared, not observed)', () => {
  it('S1.1-05: a complete VDP passes completeness, and its review stays MANUAL', async () => {
    const { out } = await runSuite(S1_1_05, { vulnerabilityDisclosurePolicy: VDP });
    expect(out).to.deep.equal({
      'S1.1-05/vulnerability-disclosure/declaration': {
        verdict: 'MANUAL',
        reason: 'declared, not observed: a person must read the policy at https://acme.example/psirt: reports go to psirt@acme.example, acknowledged within 5 days, with status updates every 30 days',
      },
      'S1.1-05/vulnerability-disclosure/completeness': {
        verdict: 'PASS',
        reason:
          'declared, not observed: vulnerabilityDisclosurePolicy carries every element the ★1 checklist needs (vulnerabilityDisclosurePolicy.url, vulnerabilityDisclosurePolicy.contact, ' +
          'vulnerabilityDisclosurePolicy.acknowledgeWithinDays, vulnerabilityDisclosurePolicy.statusUpdateEveryDays); a person still reviews the content',
      },
    });
  });

  it('S1.1-05: nothing declared plans no completeness check; the review says INCONCLUSIVE', async () => {
    const { out } = await runSuite(S1_1_05, {});
    expect(out).to.deep.equal({
      'S1.1-05/vulnerability-disclosure/declaration': {
        verdict: 'INCONCLUSIVE',
        reason: 'the profile declares no vulnerabilityDisclosurePolicy (url, contact, acknowledgeWithinDays, statusUpdateEveryDays); the ★1 checklist needs it',
      },
    });
  });

  it('S1.1-16: FAILs a support period that ended before the run, and passes one that has not', async () => {
    const product = { productInformation: { modelDesignation: 'ACME TEST-1' } };
    const ended = await runSuite(S1_1_16, { supportPeriod: { endsOn: '2020-03-31', url: 'https://acme.example/support' }, ...product });
    const today = runDate();
    expect(ended.out['S1.1-16/support-period/completeness']!.verdict).to.equal('FAIL');
    expect(ended.out['S1.1-16/support-period/completeness']!.reason).to.match(
      new RegExp(`^declared, not observed: the declaration falls short of the ★1 checklist: supportPeriod\\.endsOn is 2020-03-31, over everywhere on the day of this run \\(${today} even at UTC−12\\) \\(evidence #\\d+\\)$`),
    );
    const open = await runSuite(S1_1_16, { supportPeriod: { endsOn: '2999-12-31', url: 'https://acme.example/support' }, ...product });
    expect(open.out['S1.1-16/support-period/completeness']).to.deep.equal({
      verdict: 'PASS',
      reason: 'declared, not observed: supportPeriod and productInformation carry every element the ★1 checklist needs (supportPeriod.endsOn, supportPeriod.url, productInformation.modelDesignation); a person still reviews the content',
    });
    expect(open.out['S1.1-16/support-period/declaration']).to.deep.equal({
      verdict: 'MANUAL',
      reason: 'declared, not observed: a person must check that https://acme.example/support tells users the support period ends on 2999-12-31, for model "ACME TEST-1"',
    });
  });

  it('S1.1-16: calls a support period over only once its end date is past in every time zone (UTC−12)', async () => {
    // 2027-04-01 09:00 in Japan is 00:00 UTC: the period ending 2027-03-31 is over in Japan, not yet at UTC−12.
    expect(runDate(new Date('2027-04-01T00:00:00Z'))).to.equal('2027-03-31');
    expect(runDate(new Date('2027-04-01T11:59:59.999Z'))).to.equal('2027-03-31');
    expect(runDate(new Date('2027-04-01T12:00:00Z'))).to.equal('2027-04-01');
    const declarations = { supportPeriod: { endsOn: '2027-03-31', url: 'https://acme.example/support' }, productInformation: { modelDesignation: 'ACME TEST-1' } };
    const item = declaredItem('S1.1-16');
    const notYet = await checkCompleteness(await contextIn(tempDir(), declarations), item, runDate(new Date('2027-04-01T11:59:59Z')));
    expect(notYet.verdict).to.equal('PASS');
    const over = await checkCompleteness(await contextIn(tempDir(), declarations), item, runDate(new Date('2027-04-01T12:00:00Z')));
    expect(over.verdict).to.equal('FAIL');
    expect(over.reason).to.match(/: supportPeriod\.endsOn is 2027-03-31, over everywhere on the day of this run \(2027-04-01 even at UTC−12\) \(evidence #\d+\)$/);
  });

  it('S1.1-16: FAILs a support period declared without the model designation', async () => {
    const { out } = await runSuite(S1_1_16, { supportPeriod: { endsOn: '2999-12-31', url: 'https://acme.example/support' } });
    expect(out['S1.1-16/support-period/completeness']!.verdict).to.equal('FAIL');
    expect(out['S1.1-16/support-period/completeness']!.reason).to.match(/^declared, not observed: the declaration falls short of the ★1 checklist: missing productInformation\.modelDesignation \(evidence #\d+\)$/);
  });

  it('S1.1-16: plans no completeness check on productInformation alone (S1.1-10 uses it)', async () => {
    const { out } = await runSuite(S1_1_16, { productInformation: { modelDesignation: 'ACME TEST-1' } });
    expect(Object.keys(out)).to.deep.equal(['S1.1-16/support-period/declaration']);
    expect(out['S1.1-16/support-period/declaration']!.verdict).to.equal('INCONCLUSIVE');
  });

  it('S1.1-07: FAILs an update procedure that says neither where (url) nor in which document', async () => {
    const { out } = await runSuite(S1_1_07, { updateProcedure: { description: 'see the manual' } });
    expect(out['S1.1-07/update-procedure/completeness']!.verdict).to.equal('FAIL');
    expect(out['S1.1-07/update-procedure/completeness']!.reason).to.match(/: missing one of updateProcedure\.url, updateProcedure\.document \(evidence #\d+\)$/);
  });

  it('S1.1-07: attaches the referenced local document with its SHA-256; one jcstar cannot attach is INCONCLUSIVE', async () => {
    const dir = tempDir();
    const manual = Buffer.from('%PDF-1.4 how to update the ACME TEST-1\n');
    writeFileSync(join(dir, 'update-manual.pdf'), manual);
    const sha256 = createHash('sha256').update(manual).digest('hex');
    const { out, ctx } = await runSuite(S1_1_07, { updateProcedure: { document: 'update-manual.pdf' } }, dir);
    expect(out['S1.1-07/update-procedure/completeness']).to.deep.equal({
      verdict: 'PASS',
      reason: `declared, not observed: updateProcedure carries every element the ★1 checklist needs (one of updateProcedure.url, updateProcedure.document); update-manual.pdf attached (sha256 ${sha256.slice(0, 12)}…); a person still reviews the content`,
    });
    const attached = ctx.recorded.find((r) => r.artifacts?.length);
    expect(attached?.summary).to.equal(`document referenced by updateProcedure: update-manual.pdf (${manual.length} bytes, attached)`);
    expect(attached?.artifacts?.[0]).to.deep.include({ name: 'update-manual.pdf', mediaType: 'application/pdf' });
    expect(Buffer.compare(Buffer.from(attached!.artifacts![0]!.bytes), manual)).to.equal(0);

    const missing = await runSuite(S1_1_07, { updateProcedure: { document: 'gone.pdf' } }, dir);
    expect(missing.out['S1.1-07/update-procedure/completeness']!.verdict).to.equal('INCONCLUSIVE');
    expect(missing.out['S1.1-07/update-procedure/completeness']!.reason).to.match(
      /^declared, not observed: updateProcedure carries every element the ★1 checklist needs \(one of updateProcedure\.url, updateProcedure\.document\), but jcstar could not attach a referenced document: gone\.pdf cannot be read \(no such file\); the evidence does not hold it \(evidence #\d+\)$/,
    );
    writeFileSync(join(dir, 'huge.pdf'), '');
    truncateSync(join(dir, 'huge.pdf'), 32 * 1024 * 1024 + 1); // sparse: nothing is written
    const huge = await runSuite(S1_1_07, { updateProcedure: { document: 'huge.pdf' } }, dir);
    expect(huge.out['S1.1-07/update-procedure/completeness']!.verdict).to.equal('INCONCLUSIVE');
    expect(huge.out['S1.1-07/update-procedure/completeness']!.reason).to.include('could not attach a referenced document: huge.pdf is 33554433 bytes, over the 33554432-byte limit for an attached document');
  });

  it('S1.1-16: still FAILs a period already over when its document cannot be attached, and says both', async () => {
    const declarations = { supportPeriod: { endsOn: '2020-03-31', url: 'https://acme.example/support', document: 'gone.pdf' }, productInformation: { modelDesignation: 'ACME TEST-1' } };
    const { out } = await runSuite(S1_1_16, declarations);
    expect(out['S1.1-16/support-period/completeness']!.verdict).to.equal('FAIL');
    expect(out['S1.1-16/support-period/completeness']!.reason).to.match(/: supportPeriod\.endsOn is 2020-03-31, over everywhere .*; jcstar also could not attach a referenced document: gone\.pdf cannot be read \(no such file\) \(evidence #\d+\)$/);
  });

  it('checks S1.1-01, -02, -03 and -11 declarations for completeness beside their MANUAL review', async () => {
    const declarations = {
      accessControl: { assets: ['video'], accessPaths: ['web-admin: HTTPS, Basic'] },
      defaultPasswordScheme: { scheme: 'user-set-at-first-use' },
      authenticationChange: { procedure: 'Settings > Users > Change password' },
      secureStorage: { assets: [{ asset: 'admin password', storage: 'flash', protection: 'PBKDF2-HMAC-SHA256' }] },
    };
    const cases: Array<[RequirementSuite, string, string]> = [
      [S1_1_01, 'S1.1-01/access-control', 'accessControl carries every element the ★1 checklist needs (accessControl.assets, accessControl.accessPaths)'],
      [S1_1_02, 'S1.1-02/default-password-scheme', 'defaultPasswordScheme carries every element the ★1 checklist needs (defaultPasswordScheme.scheme)'],
      [S1_1_03, 'S1.1-03/authentication-change', 'authenticationChange carries every element the ★1 checklist needs (authenticationChange.procedure)'],
      [S1_1_11, 'S1.1-11/secure-storage', 'secureStorage carries every element the ★1 checklist needs (secureStorage.assets)'],
    ];
    for (const [suite, prefix, says] of cases) {
      const { out } = await runSuite(suite, declarations);
      expect(out[`${prefix}/completeness`], prefix).to.deep.equal({ verdict: 'PASS', reason: `declared, not observed: ${says}; a person still reviews the content` });
      expect(out[`${prefix}/declaration`]!.verdict, prefix).to.equal('MANUAL');
    }
  });

  it('records what it compared, with the catalogue version, in the evidence', async () => {
    const ctx = await contextIn(tempDir(), { vulnerabilityDisclosurePolicy: VDP });
    await checkCompleteness(ctx, declaredItem('S1.1-05'), '2026-12-03');
    expect(ctx.recorded[0]!.data).to.deep.equal({
      items: 'documents-2026.12.2',
      required: ['vulnerabilityDisclosurePolicy.url', 'vulnerabilityDisclosurePolicy.contact', 'vulnerabilityDisclosurePolicy.acknowledgeWithinDays', 'vulnerabilityDisclosurePolicy.statusUpdateEveryDays'],
      declarations: { vulnerabilityDisclosurePolicy: VDP },
      missing: [],
      past: [],
      today: '2026-12-03',
    });
  });

  it('refuses a profile whose PSTI statement of compliance is not there', async () => {
    const dir = tempDir();
    const text = stringify({ ...base, declarations: { pstiCompliance: { statementOfCompliance: 'psti/statement.pdf' } } });
    const error = await parseProfile(text, { file: join(dir, 'profile.yaml') }).then(() => null, (e: unknown) => e);
    expect(error).to.be.instanceOf(ProfileError);
    expect((error as ProfileError).problems.map((p) => [p.path, p.message])).to.deep.equal([
      ['declarations.pstiCompliance.statementOfCompliance', `cannot use ${join(dir, 'psti/statement.pdf')} as the statement of compliance: no such file`],
    ]);
  });
});
