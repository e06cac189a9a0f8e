import { defineCommand } from 'citty'
import { api, common } from '../context'
import { print } from '../output'
import { CliError, EXIT } from '../client'

const BY: Record<string, 'model' | 'provider' | 'key' | 'client_key' | 'upstream_model' | 'dialect'> = {
  model: 'model',
  provider: 'provider',
  key: 'key',
  'client-key': 'client_key',
  client_key: 'client_key',
  'upstream-model': 'upstream_model',
  dialect: 'dialect',
}

export default defineCommand({
  meta: { name: 'stats', description: 'Requests, errors, latency, tokens and cost' },
  args: {
    ...common,
    since: { type: 'string', description: 'a span back from now: 30m, 24h, 7d', default: '24h' },
    by: { type: 'string', description: 'break down by model | provider | key | client-key | upstream-model | dialect' },
  },
  run: async ({ args }) => {
    const c = api(args)
    if (args.by) {
      const by = BY[args.by]
      if (!by) throw new CliError(`--by must be one of ${Object.keys(BY).join(', ')}`, EXIT.usage)
      const rows = await c.stats.breakdown.query({ since: args.since, by })
      return print(rows, args.json)
    }
    print(await c.stats.summary.query({ since: args.since }), args.json)
  },
})
