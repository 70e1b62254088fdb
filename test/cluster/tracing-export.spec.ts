import { boardOverRest } from '../support/demo-app';
import { OtlpReceiver, OtlpSpan } from '../support/otlp-receiver';
import { waitFor } from '../support/ports';
import { Replica, startReplica } from '../support/replicas';

/** OTLP's SPAN_KIND_SERVER. */
const SERVER = 2;

function attribute(span: OtlpSpan, key: string): unknown {
  const value = span.attributes?.find((a) => a.key === key)?.value;
  return value && Object.values(value)[0];
}

describe('tracing the built demo to an OTLP/HTTP receiver', () => {
  let receiver: OtlpReceiver;
  let replica: Replica;

  beforeAll(async () => {
    receiver = await OtlpReceiver.start();
    replica = await startReplica({
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.url,
      OTEL_SERVICE_NAME: 'pushpage-e2e',
    });
  }, 30_000);
  afterAll(async () => {
    await replica?.stop();
    await receiver?.stop();
  });

  /** The `pushpage.event` span of the event on `pageId` once it has arrived, or `undefined`. */
  function eventSpanOf(pageId: string): OtlpSpan | undefined {
    return receiver.spans.find(
      (s) => s.name === 'pushpage.event' && attribute(s, 'pushpage.page.id') === pageId,
    );
  }

  it('says where the spans go', () => {
    expect(replica.output.join('')).toContain(`tracing: spans go to ${receiver.url}`);
  });

  it('exports a REST event: the HTTP request span above pushpage.event, above the handler, commit and publish', async () => {
    const board = await boardOverRest(replica.url);
    expect((await board.post('traced over REST')).status).toBe(200);
    // the batch processor sends every few seconds
    await waitFor('the event span at the receiver', () => !!eventSpanOf(board.view.pageId), 15_000);
    const event = eventSpanOf(board.view.pageId) as OtlpSpan;
    expect(attribute(event, 'pushpage.handler')).toBe('MessageBoardPage.sendMessage');
    expect(attribute(event, 'pushpage.transport')).toBe('http');
    expect(attribute(event, 'pushpage.event.type')).toBe('click');

    const inTrace = () => receiver.spans.filter((s) => s.traceId === event.traceId);
    // the HTTP server span ends after the answer is written: it may come in a later batch
    await waitFor('the HTTP server span', () => inTrace().some((s) => s.kind === SERVER), 15_000);
    const byId = new Map(inTrace().map((s) => [s.spanId, s]));
    const ancestors: OtlpSpan[] = [];
    for (let s = byId.get(event.parentSpanId ?? ''); s; s = byId.get(s.parentSpanId ?? ''))
      ancestors.push(s);
    const server = ancestors.find((s) => s.kind === SERVER) as OtlpSpan;
    expect(server).toBeDefined();
    expect(server.name).toContain('POST');
    expect(server.parentSpanId || undefined).toBeUndefined();

    const children = (name: string) =>
      inTrace().filter((s) => s.name === name && s.parentSpanId === event.spanId);
    const [run] = children('pushpage.handler');
    expect(children('pushpage.handler')).toHaveLength(1);
    expect(attribute(run, 'pushpage.handler')).toBe('MessageBoardPage.sendMessage');
    // this handler commits itself (`await board.update()`): its commit and publish are the
    // handler span's children
    const underHandler = (name: string) =>
      inTrace().filter((s) => s.name === name && s.parentSpanId === run.spanId);
    expect(underHandler('pushpage.commit').length).toBeGreaterThanOrEqual(1);
    expect(underHandler('pushpage.publish').length).toBeGreaterThanOrEqual(1);
    expect(attribute(underHandler('pushpage.commit')[0], 'pushpage.commit.conflict')).toBe(false);

    const resource = receiver.exports[0].resourceSpans[0].resource;
    expect(resource?.attributes).toContainEqual({
      key: 'service.name',
      value: { stringValue: 'pushpage-e2e' },
    });
    expect(receiver.contentTypes[0]).toContain('application/json');
  }, 40_000);

  it('sends the spans still buffered when it shuts down', async () => {
    const board = await boardOverRest(replica.url);
    expect((await board.post('traced just before SIGTERM')).status).toBe(200);
    await replica.stop('SIGTERM');
    // the exporter's last post was answered before the process exited
    expect(eventSpanOf(board.view.pageId)).toBeDefined();
  }, 30_000);
});
