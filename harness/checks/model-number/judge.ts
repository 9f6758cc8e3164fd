import type { DeviceStatement } from '../../inventory/types.js';
import { inconclusive, fail, manual, pass, type CheckOutcome } from '../../verdicts/outcome.js';
import { namesFirmware, showsDesignation, type ModelDesignation } from './designation.js';

/** A statement with the evidence item it was recorded in. */
export interface SeenStatement extends DeviceStatement {
  evidenceSeq: number;
}

export interface ModelReading {
  statements: SeenStatement[];
  /** What was read (or tried): "http 80/tcp /", "snmp 161/udp"… */
  sources: string[];
  /** Sources that answered nothing jcstar could read. */
  unanswered: string[];
  firmware: string;
}

const NAMED = 3;
const EXCERPT_CHARS = 60;

function excerpt(statement: SeenStatement, match: RegExpExecArray | null): string {
  if (!match || statement.value.length <= EXCERPT_CHARS * 2) return JSON.stringify(statement.value);
  const from = Math.max(0, match.index - EXCERPT_CHARS / 2);
  const to = Math.min(statement.value.length, match.index + match[0].length + EXCERPT_CHARS / 2);
  return JSON.stringify(`${from > 0 ? '…' : ''}${statement.value.slice(from, to)}${to < statement.value.length ? '…' : ''}`);
}

function list(items: string[]): string {
  return `${items.slice(0, NAMED).join('; ')}${items.length > NAMED ? `; and ${items.length - NAMED} more` : ''}`;
}

/**
 * S1.1-10 on the device (評価項目2, TS 103 701 5.3-16-2): PASS when something the device shows a user
 * holds the declared designation; FAIL when a field that names the model names another one and nothing
 * shows the declared one; MANUAL when the network shows no model at all, since the designation may be
 * behind a login or in the companion app, where a person must look. A firmware version other than the
 * one under test is a warning: the profile may be stale, but the model is what S1.1-10 asks for.
 */
export function judgeModelNumber(reading: ModelReading, designation: ModelDesignation): CheckOutcome {
  const { statements } = reading;
  const shown = statements.map((s) => ({ s, match: showsDesignation(s, designation) })).filter((m) => m.match !== null);
  const others = statements.filter((s) => s.field === 'model' && showsDesignation(s, designation) === null);
  const otherFirmware = statements.filter((s) => s.field === 'firmware' && !namesFirmware(s, reading.firmware));
  const warnings = [
    ...others.map((s) => `the device also names the model ${JSON.stringify(s.value)} (${s.source}, evidence #${s.evidenceSeq}), not the declared "${designation.declared}"`),
    ...otherFirmware.map((s) => `the device states firmware ${JSON.stringify(s.value)} (${s.source}, evidence #${s.evidenceSeq}), not the firmware under test "${reading.firmware}" (device.firmware): check the profile`),
  ];
  const withWarnings = (outcome: CheckOutcome): CheckOutcome => (warnings.length > 0 ? { ...outcome, warnings } : outcome);

  if (shown.length > 0) {
    // One place per port and evidence item: a page's title and its text are one reading.
    const place = (s: SeenStatement) => `${s.evidenceSeq} ${s.port}/${s.transport}`;
    const firstPerItem = shown.filter(({ s }, i) => shown.findIndex((m) => place(m.s) === place(s)) === i);
    const where = firstPerItem.map(({ s, match }) => `${s.source} ${excerpt(s, match)} (evidence #${s.evidenceSeq})`);
    return withWarnings(pass(`the device shows its model "${designation.declared}" (${designation.from}): ${list(where)}`));
  }
  if (others.length > 0) {
    const named = others.map((s) => `${s.source} ${JSON.stringify(s.value)} (evidence #${s.evidenceSeq})`);
    return { ...fail(`the device names another model than the declared "${designation.declared}" (${designation.from}): ${list(named)}`), ...(otherFirmware.length > 0 ? { warnings: warnings.slice(others.length) } : {}) };
  }
  if (reading.sources.length === 0) {
    return inconclusive(`nothing on the device was there to read its model from: no HTTP, UPnP or SNMP service was declared or identified, and identification read nothing; a person must check where the user reads "${designation.declared}" (評価項目2)`);
  }
  if (reading.unanswered.length === reading.sources.length && statements.length === 0) {
    return inconclusive(`none of the places read answered (${list(reading.unanswered)}), so whether the device shows "${designation.declared}" is unknown`);
  }
  return withWarnings(
    manual(
      `nothing the device shows without a login names its model "${designation.declared}" (read: ${list(reading.sources)}); ` +
        'a person must check where the user reads it: the web UI after login, or the companion app (評価項目2)',
    ),
  );
}
