import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HealthSources } from './health.js';
import { checkHealth } from './health.js';
import type { BotMetrics } from './metrics.js';

/** One HTTP route; the same shape Bolt's `customRoutes` takes, so Slack's server can carry it. */
export interface OpsRoute {
  path: string;
  method: string;
  handler: (req: IncomingMessage, res: ServerResponse) => void;
}

/** GET /healthz (JSON, 200 or 503) and GET /metrics (Prometheus text). */
export function opsRoutes(health: HealthSources, metrics: BotMetrics): OpsRoute[] {
  const fail = (res: ServerResponse) => () => {
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
    res.end('internal error\n');
  };
  return [
    {
      path: '/healthz',
      method: 'GET',
      handler: (_req, res) => {
        checkHealth(health).then(({ status, body }) => {
          res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
          res.end(`${JSON.stringify(body)}\n`);
        }, fail(res));
      },
    },
    {
      path: '/metrics',
      method: 'GET',
      handler: (_req, res) => {
        metrics.registry.metrics().then((text) => {
          res.writeHead(200, { 'content-type': metrics.registry.contentType });
          res.end(text);
        }, fail(res));
      },
    },
  ];
}
