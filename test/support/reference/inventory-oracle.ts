import { expect } from 'chai';
import type { Results } from '../../../harness/results/schema.js';
import { NMAP_CANNOT_SEE_THE_ANSWER, nmapOpenTcp, nmapUdpStates } from '../nmap.js';
import { DEVICE_HOST, type ReferenceDevice } from './device.js';

function scanData<T>(results: Results, checkId: string, key: string): T {
  const check = results.checks.find((c) => c.id === checkId);
  const data = check?.evidence.find((e) => e.data && key in e.data)?.data;
  if (!data) throw new Error(`${checkId} recorded no scan with "${key}"`);
  return data[key] as T;
}

/**
 * nmap as the oracle of a reference device's inventory, inside its namespace: jcstar's open TCP set equals
 * `nmap -sT -p-`, and each probed UDP port's state equals `nmap -sU`'s, except open where nmap cannot see
 * the answer.
 */
export async function expectInventoryAsNmapSees(device: ReferenceDevice, results: Results): Promise<void> {
  const open = scanData<number[]>(results, 'S1.1-01/interface-inventory/tcp', 'open');
  expect(open, 'open TCP ports, jcstar vs nmap -sT -p-').to.deep.equal(await nmapOpenTcp(device.netns, DEVICE_HOST));
  const udp = scanData<Array<{ port: number; state: string }>>(results, 'S1.1-01/interface-inventory/udp', 'ports');
  const oracle = await nmapUdpStates(device.netns, DEVICE_HOST, udp.map((p) => p.port));
  for (const { port, state } of udp) {
    const seen = oracle.get(port);
    if (NMAP_CANNOT_SEE_THE_ANSWER.has(port) && seen?.state === 'open|filtered') expect(state, `${port}/udp`).to.equal('open');
    else expect(state, `${port}/udp (nmap: ${seen?.state} ${seen?.reason})`).to.equal(seen?.state);
  }
}
