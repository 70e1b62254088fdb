import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';

/** A span as OTLP/HTTP JSON carries it (the fields read here). */
export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes?: { key: string; value: Record<string, unknown> }[];
}

export interface OtlpExport {
  resourceSpans: {
    resource?: { attributes?: OtlpSpan['attributes'] };
    scopeSpans: { spans: OtlpSpan[] }[];
  }[];
}

/** A trace receiver on loopback: what the demo's exporter posts to `/v1/traces`. */
export class OtlpReceiver {
  readonly exports: OtlpExport[] = [];
  readonly contentTypes: string[] = [];
  private readonly server: Server;

  private constructor() {
    this.server = createServer((req, res) => {
      void this.receive(req).then(() => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{}');
      });
    });
  }

  static async start(): Promise<OtlpReceiver> {
    const receiver = new OtlpReceiver();
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1/traces`;
  }

  private async receive(req: IncomingMessage): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.method !== 'POST' || req.url !== '/v1/traces') return;
    this.contentTypes.push(req.headers['content-type'] ?? '');
    this.exports.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpExport);
  }

  get spans(): OtlpSpan[] {
    return this.exports.flatMap((e) =>
      e.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)),
    );
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
