import { startSimulatedDevice } from '../../harness/simulator/device.js';
import { runProfile } from '../support/run-profile.js';

let folder: Promise<string> | undefined;

/**
 * A real run folder: the engine in-process against the built-in simulated camera (S1.1-02 and S1.1-12, which
 * record HTTP, SSH and TLS artifacts), made once for all the bundle tests of a mocha process.
 */
export function realRunFolder(): Promise<string> {
  folder ??= (async () => {
    const device = await startSimulatedDevice({ mode: 'secure' });
    try {
      const { document, env } = device.profileDocument();
      return (await runProfile(document, { env, only: ['S1.1-02', 'S1.1-12'] })).runDir;
    } finally {
      await device.close();
    }
  })();
  return folder;
}
