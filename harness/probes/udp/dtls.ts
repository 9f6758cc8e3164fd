import { dtlsClientHelloRecord } from '../tls/client-hello.js';
import { versionName } from '../tls/registry.js';
import { HANDSHAKE, parseAlert } from '../tls/server-messages.js';
import { DTLS_CANDIDATE_SUITES } from '../dtls/probe.js';
import { CONTENT, parseRecords } from '../dtls/records.js';
import { recognised, type UdpPayload } from './payload.js';

/**
 * DTLS (RFC 6347), CoAP's secure port (RFC 7252 §12.7): a DTLS 1.2 ClientHello offering every suite the
 * DTLS probe knows. A server answers with a HelloVerifyRequest, a ServerHello or an alert; nothing more
 * is sent, so the server keeps no handshake state (the cookie exchange exists for exactly that).
 */
export const DTLS_PAYLOAD: UdpPayload = {
  name: 'dtls-client-hello',
  build: () => dtlsClientHelloRecord({ version: 'DTLSv1.2', cipherSuites: DTLS_CANDIDATE_SUITES, serverName: null }, 0, 0),
  recognise(answer) {
    const record = parseRecords(answer)?.[0];
    if (!record || record.epoch !== 0) return null;
    const version = versionName(record.versionCode) ?? `0x${record.versionCode.toString(16)}`;
    let what: string | null = null;
    if (record.type === CONTENT.alert && record.fragment.length >= 2) what = `alert ${parseAlert(record.fragment).name}`;
    // A ClientHello echoed back is handshake type 1: only a server's messages count.
    else if (record.type === CONTENT.handshake && record.fragment[0] === HANDSHAKE.helloVerifyRequest) what = 'HelloVerifyRequest';
    else if (record.type === CONTENT.handshake && record.fragment[0] === HANDSHAKE.serverHello) what = 'ServerHello';
    if (!what) return null;
    return recognised('dtls', 'coaps', { tls: true, banner: `DTLS ${what}`, details: { 'dtls.version': version, 'dtls.answer': what } });
  },
};
