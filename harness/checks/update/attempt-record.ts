import type { DeviceFeedback, ImageVariant, ServeMode, UpdateAttempt, UpdateRequestRecord, VersionReading } from '../../update/types.js';

/** What one hands-on attempt established: what was served, what the device did, the versions before and after. */
export interface AttemptRecord {
  attempt: UpdateAttempt;
  /** restore: the older image served to bring the device back after it took an attack. */
  purpose: 'test' | 'restore';
  /** Why the attempt was not made; notApplicable carries the justification. Null when it was made. */
  skipped: { reason: string; notApplicable: boolean } | null;
  /** `installsAs`: the versions the device may report once it runs the image (see trial.ts). */
  image: (Pick<ImageVariant, 'sha256' | 'version' | 'description'> & { installsAs: string[] }) | null;
  mode: ServeMode | null;
  before: VersionReading | null;
  after: VersionReading | null;
  /** The device's requests during the attempt (its update client at work), and its own report. */
  requests: UpdateRequestRecord[];
  feedback: DeviceFeedback[];
  /** The device fetched the image (whole or cut), or refused the channel (a TLS failure from its address). */
  fetched: boolean;
  refusedChannel: string | null;
  /** The image could not be put before the device (an upload answered 503); the attempt decides nothing. */
  deliveryFailure: string | null;
  contacted: boolean;
  trigger: string | null;
  /** The declared login still works after the attempt (judged from the authenticated version read). */
  healthy: boolean | null;
  durationMs: number;
}

export function versionChanged(record: AttemptRecord): boolean {
  return record.before?.ok === true && record.after?.ok === true && record.before.version !== record.after.version;
}

/** The device now runs the version the served image states: it installed that image. */
export function installed(record: AttemptRecord): boolean {
  return versionChanged(record) && record.after?.ok === true && record.image !== null && record.image.installsAs.includes(record.after.version);
}

export function describeVersions(record: AttemptRecord): string {
  const show = (r: VersionReading | null) => (r === null ? 'not read' : r.ok ? r.version : `unreadable (${r.reason})`);
  return `${show(record.before)} → ${show(record.after)}`;
}
