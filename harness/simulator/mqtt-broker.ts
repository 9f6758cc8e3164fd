import { createServer, type Socket } from 'node:net';
import { createServer as createTlsServer, type TlsOptions } from 'node:tls';
import { Aedes, type AuthenticateError } from 'aedes';
import { checkLogin, type Login } from './credentials.js';
import type { AccountLockout } from './lockout.js';
import { SocketTracker, closeTcp, listenTcp, type RunningService } from './tcp.js';

/**
 * `telemetry`: an aedes MQTT broker on a net.Server or, given `tls`, a tls.Server (MQTT over TLS). Only
 * the admin login may connect; anonymous or wrong credentials get CONNACK return code 4 ("bad user name
 * or password").
 *
 * aedes 1.x speaks MQTT 3.1 and 3.1.1 only: a CONNECT with protocol level 5 is answered, before any
 * authentication, with a 3.1.1-format CONNACK `20 02 00 01` (return code 1, "unacceptable protocol
 * version") and the connection is closed.
 */

export interface MqttBrokerOptions {
  /** Loopback address to bind; default 127.0.0.1. */
  host?: string;
  port: number;
  login: Login;
  /** Called once per CONNECT packet carrying a username or a password, whatever its protocol level. */
  onAuthAttempt(): void;
  lockout?: AccountLockout;
  /** Speak MQTT over TLS with these settings; plain TCP without. */
  tls?: TlsOptions;
}

/** CONNACK return code for "bad user name or password" (MQTT 3.1.1 §3.2.2.3). */
export const MQTT_BAD_USERNAME_OR_PASSWORD = 4;

export async function startMqttBroker(options: MqttBrokerOptions): Promise<RunningService> {
  const tracker = new SocketTracker();
  const broker = await Aedes.createBroker({
    // Runs for every CONNECT before aedes checks the protocol level, so MQTT 5 attempts count too.
    preConnect(_client, packet, callback) {
      if (packet.username !== undefined || packet.password !== undefined) options.onAuthAttempt();
      callback(null, true);
    },
    authenticate(client, username, password, done) {
      const verdict = checkLogin(options.login, username, password, options.lockout);
      if (verdict === 'accepted') {
        done(null, true);
        return;
      }
      if (verdict === 'locked') {
        // A locked account gets the connection dropped without a CONNACK.
        client.conn.destroy();
        return;
      }
      const error = Object.assign(new Error('bad user name or password'), {
        returnCode: MQTT_BAD_USERNAME_OR_PASSWORD,
      }) as AuthenticateError;
      done(error, null);
    },
  });
  broker.on('clientError', () => { /* bad packets, resets */ });
  broker.on('connectionError', () => { /* errors before CONNECT */ });

  const serve = (stream: Socket): void => {
    broker.handle(stream);
  };
  const server = options.tls ? createTlsServer(options.tls, serve) : createServer(serve);
  // The TCP socket, also under TLS: destroying it ends a handshake that never completes.
  server.on('connection', (socket: Socket) => tracker.add(socket));
  if (options.tls) server.on('tlsClientError', (_err: Error, socket: Socket) => socket.destroy());

  let port: number;
  try {
    port = await listenTcp(server, options.port, options.host);
  } catch (err) {
    await new Promise<void>((resolve) => broker.close(() => resolve()));
    throw err;
  }
  return {
    port,
    close: async () => {
      const brokerClosed = new Promise<void>((resolve) => broker.close(() => resolve()));
      await closeTcp(server, tracker);
      await brokerClosed;
    },
  };
}
