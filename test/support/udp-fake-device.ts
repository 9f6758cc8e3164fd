/**
 * A child process that runs in-process UDP services on 127.0.0.1 at the ports given, for a device in a
 * network namespace (`ip netns exec <ns> node udp-fake-device.js ssdp=1900 mdns=5353 …`): the test process
 * itself cannot bind inside the namespace. Prints `ready` once every service is bound; exits when its
 * stdin closes, so that it never outlives the test that started it.
 */
import { startUdpFake, type UdpAnswerer } from './udp-fake.js';
import { silentResponder } from './udp-hostile.js';
import { matterResponder, mdnsResponder, sipResponder, ssdpResponder, wsDiscoveryResponder } from './udp-services.js';

const UDP_FAKE_SERVICES: Record<string, UdpAnswerer> = {
  ssdp: ssdpResponder,
  mdns: mdnsResponder,
  matter: matterResponder,
  'ws-discovery': wsDiscoveryResponder,
  sip: sipResponder,
  silent: silentResponder,
};

if (process.argv[1]?.endsWith('udp-fake-device.js')) {
  const fakes = await Promise.all(
    process.argv.slice(2).map((spec) => {
      const [name, port] = spec.split('=');
      const answer = UDP_FAKE_SERVICES[name!];
      if (!answer || !port) throw new Error(`unknown fake service ${spec}; known: ${Object.keys(UDP_FAKE_SERVICES).join(', ')}`);
      return startUdpFake('127.0.0.1', answer, Number(port));
    }),
  );
  process.stdout.write('ready\n');
  process.stdin.resume();
  process.stdin.on('end', () => void Promise.all(fakes.map((f) => f.close())).then(() => process.exit(0)));
}
