/** What one device action did: a request to the device, or a command on the lab host. */
export interface ActionObservation {
  /** One line naming the action, e.g. "POST /api/notes on web" or "hook power-cycle". */
  action: string;
  /** A 2xx answer, or exit status 0 within the timeout. */
  ok: boolean;
  /** HTTP status or exit status, or why the action did not run or finish. */
  detail: string;
  /** The body or stdout, bounded and with the profile's secrets redacted: where a marker is looked for. */
  output: string;
  /** A lab-host command was killed at its timeout. */
  timedOut: boolean;
  evidenceSeq: number;
}

/** What an action fills into its template: {{marker}} where it creates user data. */
export interface ActionFill {
  marker?: string;
}

const MARKER = /\{\{\s*marker\s*\}\}/g;

/** The template with {{marker}} filled in by `encode(marker)`; untouched without a marker. */
export function fillMarker(template: string, fill: ActionFill, encode: (value: string) => string = (v) => v): string {
  return fill.marker === undefined ? template : template.replace(MARKER, () => encode(fill.marker!));
}
