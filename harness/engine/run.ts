import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';
import { loadCatalogue } from '../catalogue/load.js';
import { cryptoRulesRef, describeCryptoChanges } from '../crypto/effective.js';
import { Redactor } from '../evidence/redactor.js';
import type { RunRecord } from '../evidence/records.js';
import { EvidenceStore, readRecords } from '../evidence/store.js';
import { HoldOffLedger } from '../checks/hold-off/ledger.js';
import { UpdateTrial } from '../checks/update/trial.js';
import { loadDebugServices } from '../inventory/debug-services.js';
import { diffInterfaces } from '../inventory/interfaces.js';
import { AttackSurface } from '../inventory/surface.js';
import { tcpInventoryPorts } from '../inventory/tcp-ports.js';
import { GuardedNetwork } from '../net/network.js';
import type { DeviceProfile } from '../profile/types.js';
import { buildResults } from '../results/build.js';
import type { Results } from '../results/schema.js';
import { ScopeGuard } from '../scope/guard.js';
import type { Secret } from '../secrets/secret.js';
import { loadUniversalDefaults } from '../credentials/universal-defaults.js';
import type { PlannedCheck, RequirementSuite } from '../suite/define.js';
import { TOOL } from '../version.js';
import { executeCheck } from './execute-check.js';
import { catchStrayErrors, detachFromProcess } from './stray-errors.js';
import { RUN_FILES, writeRunReports } from './finalize.js';
import { loadSuites } from './load-suites.js';
import { describeScanProgress, loadTcpResume, ResumeError, tcpProgressSaver } from './scan-resume.js';
import { PREFLIGHT_ID, preflight } from './preflight.js';
import type { ProgressListener } from './progress.js';
import { createRunFolder, newRunId } from './run-folder.js';

export interface RunOptions {
  profile: DeviceProfile;
  /** Run folder; default reports/<run-id>/ under `reportsDir`. */
  out?: string;
  reportsDir: string;
  /** Requirement IDs to run; null runs every suite. IDs must already be validated. */
  only?: string[] | null;
  suites?: RequirementSuite[];
  signal?: AbortSignal;
  onProgress?: ProgressListener;
  /** Run folder of an interrupted run whose TCP scan this run goes on from (`--resume`). */
  resume?: string;
}

export interface RunOutcome {
  runDir: string;
  results: Results;
}

export function usernames(profile: DeviceProfile): string[] {
  return Object.values(profile.credentials).flatMap((c) => (c.username ? [c.username] : []));
}

/**
 * Profile secrets to redact. A declared password that is itself on the public universal-defaults list
 * ("admin") protects nothing and would only blot out every ID that contains it, so it is left readable.
 */
export function redactableSecrets(profile: DeviceProfile): { secrets: Secret[]; published: Secret[] } {
  const published = new Set(loadUniversalDefaults().entries.map((e) => e.password.reveal()));
  const isPublished = (s: Secret) => published.has(s.reveal());
  return { secrets: profile.secrets.filter((s) => !isPublished(s)), published: profile.secrets.filter(isPublished) };
}

/** Plans the suites against the profile, runs them under mocha, and writes the run folder. */
export async function runChecks(options: RunOptions): Promise<RunOutcome> {
  const { profile } = options;
  const signal = options.signal ?? new AbortController().signal;
  const emit = options.onProgress ?? (() => {});
  const catalogue = loadCatalogue();
  // Planned before the run folder exists, so a suite that cannot plan leaves nothing half-made behind
  // (the checks are planned again once the inventory has filled the surface).
  const only = options.only ?? null;
  const allSuites = options.suites ?? (await loadSuites());
  const suites = allSuites.filter((s) => only === null || only.includes(s.requirement));
  const resumeTcp = options.resume ? loadTcpResume(options.resume, profile.target.address, tcpInventoryPorts(profile)) : null;
  const surface = new AttackSurface(resumeTcp, (progress) => {
    saveTcpProgress(progress);
    emit({ type: 'activity', id: 'S1.1-01/interface-inventory/tcp', text: describeScanProgress(progress) });
  });
  // The inventory runs first whenever a selected suite tests what it finds; the other checks are planned after it.
  const inventory = suites.some((s) => s.readsSurface) ? allSuites.flatMap((s) => s.plan(profile, surface)).filter((c) => c.spec.phase === 'inventory') : [];
  if (resumeTcp && inventory.length === 0) throw new ResumeError('--resume goes on with a TCP scan, but no selected requirement runs the inventory (S1.1-01, -02, -10, -12 or -13)');
  const planChecks = () => suites.flatMap((s) => s.plan(profile, surface)).filter((c) => c.spec.phase !== 'inventory');
  planChecks();
  const runId = newRunId();
  const runDir = createRunFolder(runId, options.out, options.reportsDir);
  const saveTcpProgress = tcpProgressSaver(runDir, runId);
  // The profile holds only secret references (the loader refuses literals), so it is safe to keep.
  writeFileSync(join(runDir, RUN_FILES.profile), profile.source.text);
  const { secrets, published } = redactableSecrets(profile);
  const store = EvidenceStore.open(runDir, new Redactor(secrets, usernames(profile)));
  const write = (record: RunRecord) => store.write(record);
  const guard = new ScopeGuard(profile.scope);
  const net = new GuardedNetwork(guard, {
    connectionsPerSecond: profile.policy.rateLimit.connectionsPerSecond,
    authAttemptsPerSecond: profile.policy.rateLimit.authAttemptsPerSecond,
    connectTimeoutMs: profile.policy.budgets.connectTimeoutMs,
  });

  const now = () => new Date().toISOString();

  write({
    type: 'run-start',
    at: now(),
    runId,
    tool: TOOL,
    profile: { path: profile.source.path, sha256: profile.source.sha256 },
    device: profile.device,
    target: { host: profile.target.host, address: profile.target.address, scope: profile.scope },
    rules: { catalogue: `${catalogue.id}@${catalogue.version}`, policy: profile.policy.version, crypto: profile.crypto.version },
    selection: only,
    handsOn: profile.handsOn,
    declarations: profile.declarations,
  });
  const recordPlan = (checks: PlannedCheck[]) => {
    for (const c of checks) {
      write({ type: 'check-planned', at: now(), checkId: c.spec.id, requirement: c.requirement, title: c.spec.title, mandatory: c.spec.mandatory, basis: c.spec.basis, target: c.spec.target });
    }
  };
  recordPlan(inventory);
  if (profile.crypto.changes.length > 0) {
    store.record(PREFLIGHT_ID, null, { kind: 'note', summary: `crypto rules ${profile.crypto.version}: ${describeCryptoChanges(profile.crypto)}`, data: cryptoRulesRef(profile.crypto) });
  }
  for (const secret of published) {
    store.record(PREFLIGHT_ID, null, { kind: 'note', summary: `${secret.label} is a published universal default password, so it is not redacted` });
  }
  emit({ type: 'planned', total: inventory.length });

  let status: 'complete' | 'interrupted' | 'aborted' = 'complete';
  let statusReason: string | null = null;
  const releaseStrayErrors = catchStrayErrors();
  try {
    const unreachable = signal.aborted ? null : await preflight(profile, net, store, signal);
    if (unreachable) {
      recordPlan(planChecks());
      status = 'aborted';
      statusReason = unreachable;
      emit({ type: 'aborted', reason: unreachable });
    } else {
      const context = { profile, net, holdOffs: new HoldOffLedger(), updateTrial: new UpdateTrial(), surface, store, signal, write, emit };
      await runUnderMocha(inventory, 0, context);
      if (inventory.length > 0) {
        const { rows, omitted } = diffInterfaces(profile, surface, loadDebugServices());
        write({ type: 'interfaces', at: now(), rows });
        if (omitted > 0) store.record(PREFLIGHT_ID, null, { kind: 'note', summary: `the interface table shows ${rows.length} interfaces; ${omitted} more open, unidentified ports are left out of it` });
      }
      // Planned even when interrupted, so that the report lists what did not run.
      const checks = planChecks();
      recordPlan(checks);
      emit({ type: 'planned', total: inventory.length + checks.length });
      await runUnderMocha(checks, inventory.length, context);
    }
  } catch (err) {
    // A fault in the harness still leaves a finished, honest run folder (exit code 3), not a bare log.
    if (!signal.aborted) {
      status = 'aborted';
      statusReason = `harness error: ${(err as Error)?.message ?? String(err)}`;
    }
  } finally {
    releaseStrayErrors();
    if (signal.aborted && status === 'complete') {
      status = 'interrupted';
      statusReason = 'interrupted (SIGINT or SIGTERM) before the run finished';
    }
    write({ type: 'run-end', at: now(), status, statusReason });
    store.close();
  }
  // Results come from the log as written (redacted), never from in-memory state.
  const results = buildResults(readRecords(runDir), catalogue);
  writeRunReports(runDir, results);
  return { runDir, results };
}

interface MochaRunContext {
  profile: DeviceProfile;
  net: GuardedNetwork;
  holdOffs: HoldOffLedger;
  updateTrial: UpdateTrial;
  surface: AttackSurface;
  store: EvidenceStore;
  signal: AbortSignal;
  write: (record: RunRecord) => void;
  emit: ProgressListener;
}

/** Mocha sequences the checks (one suite per requirement); verdicts go to the evidence log, not to mocha. */
async function runUnderMocha(planned: PlannedCheck[], offset: number, run: MochaRunContext): Promise<void> {
  if (planned.length === 0) return;
  const mocha = new Mocha({ reporter: Mocha.reporters.Base, timeout: 0 });
  const byRequirement = new Map<string, Mocha.Suite>();
  planned.forEach((check, index) => {
    let suite = byRequirement.get(check.requirement);
    if (!suite) {
      suite = Mocha.Suite.create(mocha.suite, check.requirement);
      byRequirement.set(check.requirement, suite);
    }
    suite.addTest(new Mocha.Test(check.spec.id, () => runOne(check, offset + index, offset + planned.length, run)));
  });
  await new Promise<void>((resolve) => {
    const runner = mocha.run(() => resolve());
    detachFromProcess(runner as unknown as Parameters<typeof detachFromProcess>[0]);
    const onAbort = () => runner.abort();
    if (run.signal.aborted) onAbort();
    run.signal.addEventListener('abort', onAbort, { once: true });
  });
  mocha.dispose();
}

async function runOne(check: PlannedCheck, index: number, total: number, run: MochaRunContext): Promise<void> {
  const { spec, requirement } = check;
  const started = Date.now();
  run.write({ type: 'check-start', at: new Date().toISOString(), checkId: spec.id });
  run.emit({ type: 'check-start', index, total, id: spec.id, title: spec.title });
  let count = 0;
  let open = true;
  const evidence = {
    record: (input: Parameters<EvidenceStore['record']>[2]) => {
      if (!open) throw new Error(`evidence recorded for ${spec.id} after its verdict`);
      count++;
      return run.store.record(spec.id, requirement, input);
    },
    get count() {
      return count;
    },
  };
  const budgetMs = spec.budgetMs ?? run.profile.policy.budgets.checkMs;
  const outcome = await executeCheck(check, { checkId: spec.id, requirement, target: spec.target, profile: run.profile, policy: run.profile.policy, crypto: run.profile.crypto, net: run.net, holdOffs: run.holdOffs, updateTrial: run.updateTrial, surface: run.surface, evidence }, budgetMs, run.signal);
  // The next check on the same login waits for it; this says why it will.
  for (const { service, holdOff } of run.holdOffs.leftBy(spec.id)) {
    evidence.record({ kind: 'note', summary: `${spec.id} leaves ${service} held off (${holdOff.kind}: ${holdOff.signal}); the next check on it waits for it to recover`, target: spec.target, data: { service, holdOff } });
  }
  open = false;
  const durationMs = Date.now() - started;
  // Progress is a log too: it shows the reason as recorded, redacted.
  const reason = run.store.redactor.text(outcome.reason);
  const warnings = outcome.warnings?.length ? { warnings: outcome.warnings.map((w) => run.store.redactor.text(w)) } : {};
  run.write({ type: 'verdict', at: new Date().toISOString(), checkId: spec.id, verdict: outcome.verdict, reason, ...warnings, durationMs });
  run.emit({ type: 'check-end', index, total, id: spec.id, verdict: outcome.verdict, reason, durationMs });
}
