import type { ProgressEvent } from '../engine/progress.js';
import { progressPrinter } from '../reporters/progress.js';
import type { FleetEvent } from './run.js';

/**
 * Fleet progress on stderr: a line per device start and finish, and each device's engine progress with its
 * unit in front. Devices run side by side, so nothing is redrawn in place: every line is whole and labelled.
 */
export function fleetProgressPrinter(stream: NodeJS.WritableStream, color: boolean): (event: FleetEvent) => void {
  const perUnit = new Map<string, (event: ProgressEvent) => void>();
  const printerFor = (unit: string) => {
    let printer = perUnit.get(unit);
    if (!printer) {
      const prefixed = { isTTY: false, write: (text: string) => stream.write(text.replace(/^(?=.)/gm, `[${unit}] `)) } as unknown as NodeJS.WriteStream;
      printer = progressPrinter(prefixed, color);
      perUnit.set(unit, printer);
    }
    return printer;
  };
  return (event) => {
    switch (event.type) {
      case 'device-start':
        stream.write(`jcstar fleet: [${event.index + 1}/${event.total}] ${event.unit} started\n`);
        break;
      case 'device-skip':
        stream.write(`jcstar fleet: ${event.unit} finished before (run ${event.runId}); skipped\n`);
        break;
      case 'device-moved':
        stream.write(`jcstar fleet: ${event.unit} ${event.why}; its folder is kept as ${event.to} and the unit runs again from the start\n`);
        break;
      case 'device-end': {
        const counts = Object.entries(event.device.requirements).filter(([, n]) => n > 0).map(([v, n]) => `${n} ${v}`).join(', ');
        stream.write(`jcstar fleet: [${event.index + 1}/${event.total}] ${event.unit} finished: ${event.device.outcome.toUpperCase()} (${event.device.status}; requirements ${counts}) in ${(event.durationMs / 1000).toFixed(1)} s\n`);
        break;
      }
      case 'device-error':
        stream.write(`jcstar fleet: ${event.unit}: harness error: ${event.message}\n`);
        break;
      case 'progress':
        printerFor(event.unit)(event.event);
        break;
    }
  };
}
