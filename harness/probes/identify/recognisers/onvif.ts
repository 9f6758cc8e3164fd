import { httpExchange } from '../../http/exchange.js';
import type { PortSession } from '../recogniser.js';

const DEVICE_SERVICE = '/onvif/device_service';
/** ONVIF Core §5.9.1: GetSystemDateAndTime must answer without authentication, so clients can sync clocks for WS-Security. */
const GET_SYSTEM_DATE_AND_TIME =
  '<?xml version="1.0" encoding="UTF-8"?>' +
  '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body>' +
  '<GetSystemDateAndTime xmlns="http://www.onvif.org/ver10/device/wsdl"/>' +
  '</s:Body></s:Envelope>';

/** An ONVIF device service answers GetSystemDateAndTime; the service is then ONVIF (a camera or recorder). */
export async function describeOnvif(s: PortSession): Promise<void> {
  if (s.signal.aborted) return;
  try {
    const res = await httpExchange(s.net, {
      host: s.host, port: s.port, tls: s.layer.tls, method: 'POST', path: DEVICE_SERVICE,
      headers: { 'Content-Type': 'application/soap+xml; charset=utf-8' }, body: GET_SYSTEM_DATE_AND_TIME,
      signal: s.signal, timeoutMs: s.replyTimeoutMs,
    });
    const body = res.body.toString('utf8');
    if (!/GetSystemDateAndTimeResponse/.test(body)) return;
    s.record('onvif GetSystemDateAndTime', `POST ${DEVICE_SERVICE} GetSystemDateAndTime`, `HTTP ${res.status} ${body}`);
    s.identity.service = 'onvif';
    s.identity.details['onvif.device_service'] = DEVICE_SERVICE;
  } catch {
    // No ONVIF service here, or it did not answer in time: the HTTP identity stands.
  }
}
