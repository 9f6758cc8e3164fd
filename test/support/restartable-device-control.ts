import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';

/**
 * The lab-host command of the restartable device's hooks, run by jcstar as a real process:
 * `node restartable-device-control.js <control port> <command>`. Prints the device's answer; exits 0 on
 * "ok …", 1 otherwise. For the "hang" command it waits for an answer that never comes.
 */
export const CONTROL_SCRIPT = fileURLToPath(import.meta.url);

/** The argv of a hook that sends `command` to the device listening for controls on `port`. */
export function controlArgv(port: number, command: string): string[] {
  return [process.execPath, CONTROL_SCRIPT, String(port), command];
}

if (process.argv[1] === CONTROL_SCRIPT) {
  const [port, command] = process.argv.slice(2);
  let answer = '';
  const socket = connect({ host: '127.0.0.1', port: Number(port) }, () => socket.write(`${command}\n`));
  socket.on('data', (chunk: Buffer) => (answer += chunk.toString('utf8')));
  socket.on('error', (err) => {
    process.stderr.write(`control: ${err.message}\n`);
    process.exitCode = 2;
  });
  socket.on('close', () => {
    process.stdout.write(answer);
    if (process.exitCode === undefined) process.exitCode = answer.startsWith('ok') ? 0 : 1;
  });
}
