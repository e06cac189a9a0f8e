/** Paths of the operations endpoints. */
const json = (schema: string) => ({ 'application/json': { schema: { $ref: `#/components/schemas/${schema}` } } })
const unauthorized = { description: 'Admin key required', content: json('AdminError') }

export const OPS_PATHS: Record<string, Record<string, unknown>> = {
  '/health': {
    get: { summary: 'Liveness (cheap, no auth)', tags: ['Operations'], security: [], responses: { '200': { description: 'Alive', content: json('Health') } } },
  },
  '/health/detailed': {
    get: {
      summary: 'Database, providers, keys, memory, CPU, disk, event loop, mode, version, per-endpoint monitor',
      tags: ['Operations'],
      security: [{ admin: [] }],
      responses: { '200': { description: 'The detailed report', content: json('DetailedHealth') }, '401': unauthorized },
    },
  },
  '/metrics': {
    get: {
      summary: 'Prometheus text exposition',
      description: 'Open unless NUXT_METRICS_TOKEN is set; then that token is required as a bearer token.',
      tags: ['Operations'],
      security: [{}, { metricsToken: [] }],
      responses: {
        '200': { description: 'Metrics in Prometheus text format 0.0.4', content: { 'text/plain': { schema: { type: 'string' } } } },
        '401': { description: 'The metrics token is missing or wrong' },
      },
    },
  },
  '/docs': {
    get: { summary: 'This document, rendered (no external assets)', tags: ['Operations'], security: [], responses: { '200': { description: 'HTML', content: { 'text/html': { schema: { type: 'string' } } } } } },
  },
  '/docs/openapi.json': {
    get: { summary: 'This document (OpenAPI 3.1)', tags: ['Operations'], security: [], responses: { '200': { description: 'JSON', content: { 'application/json': { schema: { type: 'object' } } } } } },
  },
  '/api/trpc/{procedure}': {
    get: {
      summary: 'Typed admin API (tRPC) behind the web UI and the CLI',
      description:
        'tRPC v11 without a transformer: queries are GET with `?input=<URL-encoded JSON>`, mutations POST with the JSON input as the body. Among them: `health.get`, `ops.monitor`, `ops.mode.get`, `ops.mode.set` (`{"mode":"normal"|"debug"|"maintenance", "minutes"?, "retryAfterSeconds"?, "message"?}`). Errors are typed tRPC errors; unexpected ones carry an `errorId` and never a stack trace.',
      tags: ['Admin'],
      security: [{ admin: [] }],
      parameters: [{ name: 'procedure', in: 'path', required: true, schema: { type: 'string' } }, { name: 'input', in: 'query', required: false, schema: { type: 'string' } }],
      responses: { '200': { description: '`{"result":{"data":...}}`' }, '401': { description: 'UNAUTHORIZED tRPC error' } },
    },
  },
}
