import { Logger } from '@nestjs/common';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { pageGone, PushpageError } from '../../../libs/pushpage/src/errors';
import { SocketExceptionFilter } from '../../../libs/pushpage/src/edges/socket/socket-exception.filter';
import { PushpageMetrics } from '../../../libs/pushpage/src/ops/metrics.service';
import { RefusalLog } from '../../../libs/pushpage/src/ops/refusal-log';

/** The arguments Nest's Socket.IO adapter passes a failed message's filter. */
function messageHost(pattern: string, ack?: (reply: unknown) => void): ExecutionContextHost {
  const host = new ExecutionContextHost([{ id: 'socket' }, { pageId: 'p' }, ack, pattern]);
  host.setType('ws');
  return host;
}

async function counted(metrics: PushpageMetrics, name: string): Promise<Record<string, number>> {
  const metric = await metrics.registry.getSingleMetric(name)?.get();
  return Object.fromEntries(
    (metric?.values ?? []).map((v) => [Object.values(v.labels).join(' '), v.value]),
  );
}

describe('SocketExceptionFilter', () => {
  let metrics: PushpageMetrics;
  let filter: SocketExceptionFilter;
  let errors: jest.SpyInstance;
  let warnings: jest.SpyInstance;

  beforeEach(() => {
    metrics = new PushpageMetrics();
    filter = new SocketExceptionFilter(metrics, new RefusalLog());
    errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    warnings = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it('acknowledges a PushpageError once with its code, and counts the refusal', async () => {
    const ack = jest.fn();
    filter.catch(new PushpageError('forbidden', 'join the page first'), messageHost('more', ack));
    expect(ack.mock.calls).toEqual([
      [{ ok: false, error: { code: 'forbidden', message: 'join the page first' } }],
    ]);
    expect(await counted(metrics, 'pushpage_refusals_total')).toEqual({ 'forbidden socket': 1 });
    expect(errors).not.toHaveBeenCalled();
  });

  it('gives the reason of an error that leaves the tab without its page, and logs it once', () => {
    const ack = jest.fn();
    filter.catch(pageGone('p'), messageHost('join', ack));
    filter.catch(pageGone('p'), messageHost('join', ack));
    expect(ack).toHaveBeenCalledTimes(2);
    expect(ack.mock.calls[0][0]).toEqual({ ok: false, error: pageGone('p').toJSON() });
    expect(ack.mock.calls[0][0].error.reason).toBe('page-gone');
    expect(warnings).toHaveBeenCalledTimes(1);
    expect(warnings.mock.calls[0][0]).toMatch(/^a socket message was refused \(page-gone\)/);
  });

  it('answers an unexpected error with unavailable, logging it and counting no refusal', async () => {
    const ack = jest.fn();
    filter.catch(new Error('store down'), messageHost('event', ack));
    expect(ack.mock.calls).toEqual([
      [
        {
          ok: false,
          error: {
            code: 'unavailable',
            message: 'the server could not handle this message; try again',
          },
        },
      ],
    ]);
    expect(errors).toHaveBeenCalledWith(expect.stringContaining('store down'));
    expect(await counted(metrics, 'pushpage_refusals_total')).toEqual({});
  });

  it('counts a failed doc message by its code, or as an error', async () => {
    filter.catch(new PushpageError('too-large', 'too big'), messageHost('doc', jest.fn()));
    filter.catch(new Error('boom'), messageHost('doc', jest.fn()));
    filter.catch(new PushpageError('bad-request', 'no'), messageHost('join', jest.fn()));
    expect(await counted(metrics, 'pushpage_doc_updates_total')).toEqual({
      'too-large': 1,
      error: 1,
    });
  });

  it('still counts a message sent without an acknowledgement', async () => {
    expect(() =>
      filter.catch(new PushpageError('rate-limited', 'slow down'), messageHost('event')),
    ).not.toThrow();
    expect(await counted(metrics, 'pushpage_refusals_total')).toEqual({
      'rate-limited socket': 1,
    });
  });
});
