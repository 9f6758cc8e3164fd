import { expect } from 'chai';
import { MAX_OUT_OF_SCOPE_RECORDS, MAX_RECORDS, RequestLog, redactedHeaders } from '../../harness/update/server/request-log.js';
import type { UpdateRequestRecord } from '../../harness/update/types.js';

const record = (port: number): UpdateRequestRecord => ({ at: '2026-12-03T12:00:00.000Z', client: { address: '127.0.0.2', port }, inScope: true, channel: 'plain', method: 'GET', path: '/', status: 200 });

describe('rogue update server: request log', () => {
  it(`keeps ${MAX_RECORDS} records, counts the rest, and still wakes a waiter on a dropped one`, async () => {
    const log = new RequestLog();
    for (let port = 1; port <= MAX_RECORDS + 5; port++) if (port !== MAX_RECORDS + 3) log.record(record(port));
    const waiting = log.waitForRequest((r) => r.client.port === MAX_RECORDS + 3, { timeoutMs: 1000 });
    log.record(record(MAX_RECORDS + 3));
    expect((await waiting)!.client.port).to.equal(MAX_RECORDS + 3);
    expect([log.requests.length, log.requestsDropped, log.requests.at(-1)!.client.port]).to.deep.equal([MAX_RECORDS, 5, MAX_RECORDS]);
  });

  it('finds a matching record already logged, and settles waiters with null at close', async () => {
    const log = new RequestLog();
    log.record(record(7));
    expect((await log.waitForRequest((r) => r.client.port === 7, { timeoutMs: 1 }))!.client.port).to.equal(7);
    const waiting = log.waitForFeedback(() => true, { timeoutMs: 60_000 });
    log.close();
    expect(await waiting).to.equal(null);
  });

  it('redacts credentials in headers and shortens long values', () => {
    expect(redactedHeaders({ authorization: 'TargetToken abc', targettoken: 'abc', gatewaytoken: 'def', cookie: 'sid=1', 'x-multi': ['a', 'b'], 'x-long': 'y'.repeat(300) })).to.deep.equal({
      authorization: '[redacted]',
      targettoken: '[redacted]',
      gatewaytoken: '[redacted]',
      cookie: '[redacted]',
      'x-multi': 'a, b',
      'x-long': 'y'.repeat(256),
    });
  });

  it('keeps a flood from outside the scope to its own bound, so that the device\'s requests are still kept', () => {
    const log = new RequestLog();
    for (let port = 1; port <= MAX_OUT_OF_SCOPE_RECORDS + 50; port++) log.record({ ...record(port), inScope: false, client: { address: '127.0.0.9', port } });
    log.record(record(1));
    expect([log.requests.length, log.requestsDropped, log.requests.at(-1)!.inScope]).to.deep.equal([MAX_OUT_OF_SCOPE_RECORDS + 1, 50, true]);
  });

  it('redacts token-like headers and credential-like query values a device client sends', () => {
    expect(redactedHeaders({ 'x-auth-token': 'abc', 'x-api-key': 'k', accept: '*/*' })).to.deep.equal({ 'x-auth-token': '[redacted]', 'x-api-key': '[redacted]', accept: '*/*' });
    const log = new RequestLog();
    log.record({ ...record(1), path: '/images/3/fw.swu?token=s3cret&part=1&X-Amz-Signature=abcd' });
    expect(log.requests[0]!.path).to.equal('/images/3/fw.swu?token=[redacted]&part=1&X-Amz-Signature=[redacted]');
  });
});
