/**
 * The service a port usually carries (IANA assignments and IoT habit), tried first so that a port
 * serving what it should is named in one exchange. A wrong hint costs one probe, never a wrong name:
 * names come only from what the service answers.
 */
const PLAIN: Readonly<Record<number, string>> = {
  21: 'ftp', 22: 'ssh', 2222: 'ssh', 23: 'telnet', 2323: 'telnet', 25: 'smtp', 587: 'smtp',
  80: 'http', 81: 'http', 5000: 'http', 7547: 'http', 8000: 'http', 8008: 'http', 8080: 'http', 8081: 'http', 8888: 'http', 49152: 'http',
  1883: 'mqtt', 554: 'rtsp', 8554: 'rtsp', 5683: 'coap+tcp', 5555: 'adb', 1234: 'gdbserver', 2345: 'gdbserver',
  443: 'tls', 4443: 'tls', 8443: 'tls', 990: 'tls', 8883: 'tls', 322: 'tls', 5684: 'tls',
};
const INSIDE_TLS: Readonly<Record<number, string>> = { 443: 'http', 4443: 'http', 8443: 'http', 990: 'ftp', 8883: 'mqtt', 322: 'rtsp', 5684: 'coap+tcp' };
/** ALPN protocol IDs (IANA TLS ALPN registry) a server may pick from jcstar's offer. */
const ALPN: Readonly<Record<string, string>> = { 'http/1.1': 'http', h2: 'http', mqtt: 'mqtt', coap: 'coap+tcp' };

/** The service to try first on `port`, on the plain layer or inside TLS (where the server's ALPN pick wins). */
export function hintedService(port: number, insideTls: boolean, alpn: string | undefined): string | undefined {
  if (!insideTls) return PLAIN[port];
  return (alpn === undefined ? undefined : ALPN[alpn]) ?? INSIDE_TLS[port];
}
