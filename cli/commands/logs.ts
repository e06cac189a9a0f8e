import { defineCommand } from 'citty'
import { api, common } from '../context'
import { print, table } from '../output'
import { CliError, EXIT } from '../client'

const COLUMNS = ['ts', 'requestId', 'clientKey', 'model', 'providerId', 'status', 'latencyMs', 'inputTokens', 'outputTokens', 'errorMessage']

export default defineCommand({
  meta: { name: 'logs', description: 'The request log (newest first); --follow streams new rows' },
  args: {
    ...common,
    model: { type: 'string', description: 'requested model' },
    provider: { type: 'string', description: 'provider id' },
    'client-key': { type: 'string', description: 'client key name' },
    status: { type: 'string', description: '2xx | 4xx | 5xx | error' },
    search: { type: 'string', description: 'text in the error message' },
    since: { type: 'string', description: '30m, 24h, 7d', default: '24h' },
    limit: { type: 'string', description: 'rows (max 500)', default: '50' },
    follow: { type: 'boolean', description: 'keep printing new rows', default: false },
  },
  run: async ({ args }) => {
    if (args.status && !['2xx', '4xx', '5xx', 'error'].includes(args.status)) throw new CliError('--status must be 2xx, 4xx, 5xx or error', EXIT.usage)
    const c = api(args)
    const filter = {
      since: args.since,
      ...(args.model ? { model: args.model } : {}),
      ...(args.provider ? { provider: args.provider } : {}),
      ...(args['client-key'] ? { clientKey: args['client-key'] } : {}),
      ...(args.status ? { status: args.status as '2xx' } : {}),
      ...(args.search ? { search: args.search } : {}),
    }
    const page = await c.logs.list.query({ ...filter, limit: Number(args.limit) })
    const rows = page.items as unknown as Record<string, unknown>[]
    if (!args.follow) return print(args.json ? page : rows, args.json, args.json ? undefined : COLUMNS)
    // Follow: print what is there (oldest first), then poll for rows newer than the last seen.
    const seen = new Set<string>()
    const emit = (list: Record<string, unknown>[]) => {
      const fresh = list.filter((r) => !seen.has(String(r.requestId))).reverse()
      for (const r of fresh) {
        seen.add(String(r.requestId))
        process.stdout.write(args.json ? JSON.stringify(r) + '\n' : table([r], COLUMNS).split('\n')[1] + '\n')
      }
    }
    if (!args.json) process.stdout.write(COLUMNS.map((x) => x.toUpperCase()).join('  ') + '\n')
    emit(rows)
    for (;;) {
      await new Promise((r) => setTimeout(r, 1000))
      const next = await c.logs.list.query({ ...filter, since: '5m', limit: 200 })
      emit(next.items as unknown as Record<string, unknown>[])
    }
  },
})
