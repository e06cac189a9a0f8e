import { defineCommand } from 'citty'
import { amount, api, int, list } from '../context'
import { print } from '../output'
import { listCommand, namedArgs, removeCommand } from '../subcommands'
import { CliError, EXIT } from '../client'

const limitArgs = {
  models: { type: 'string', description: 'allowed model globs, comma-separated (gpt-*,smart)' },
  owner: { type: 'string', description: 'who the key is for' },
  expires: { type: 'string', description: 'expiry time (ISO 8601)' },
  rpm: { type: 'string', description: 'requests per minute' },
  tpm: { type: 'string', description: 'tokens per minute' },
  'day-tokens': { type: 'string', description: 'token budget per UTC day' },
  'month-tokens': { type: 'string', description: 'token budget per UTC month' },
  'day-usd': { type: 'string', description: 'estimated-cost budget per UTC day (USD)' },
  'month-usd': { type: 'string', description: 'estimated-cost budget per UTC month (USD)' },
} as const

function limits(args: Record<string, unknown>) {
  const a = args as Record<string, string | undefined>
  const out: Record<string, unknown> = {}
  if (a.models !== undefined) out.models = list(a.models)
  if (a.owner !== undefined) out.owner = a.owner
  if (a.expires !== undefined) out.expiresAt = a.expires
  for (const [flag, field] of [
    ['rpm', 'rpm'],
    ['tpm', 'tpm'],
    ['day-tokens', 'dayTokens'],
    ['month-tokens', 'monthTokens'],
  ] as const)
    if (a[flag] !== undefined) out[field] = int(`--${flag}`, a[flag], 1)
  for (const [flag, field] of [
    ['day-usd', 'dayUsd'],
    ['month-usd', 'monthUsd'],
  ] as const)
    if (a[flag] !== undefined) out[field] = amount(`--${flag}`, a[flag])
  if (a.expires !== undefined && Number.isNaN(Date.parse(a.expires))) throw new CliError(`--expires must be an ISO 8601 time like 2027-01-31T00:00:00Z, got '${a.expires}'`, EXIT.usage)
  return out
}

const toggle = (enabled: boolean) =>
  defineCommand({
    meta: { description: `${enabled ? 'Enable' : 'Disable'} a client key` },
    args: namedArgs('name', 'client key name'),
    run: async ({ args }) => {
      await api(args).clientKeys.update.mutate({ name: args.name, enabled })
      print({ name: args.name, enabled }, args.json)
    },
  })

export default defineCommand({
  meta: { name: 'client-keys', description: 'The keys apps use to call /v1 (shown once, stored hashed)' },
  subCommands: {
    list: listCommand('Client keys with their limits and usage', (args) => api(args).clientKeys.list.query(), {
      row: (k) => ({ ...k, requests: k.usage.requests, tokens: k.usage.tokens, todayUsd: k.usage.dayUsd, lastUsed: k.usage.lastUsed }),
      columns: ['name', 'hint', 'owner', 'enabled', 'models', 'rpm', 'tpm', 'dayTokens', 'monthTokens', 'dayUsd', 'monthUsd', 'expiresAt', 'source', 'requests', 'tokens', { field: 'todayUsd', label: 'SPENT TODAY' }, 'lastUsed'],
    }),
    add: defineCommand({
      meta: { description: 'Create a client key: the secret is printed once' },
      args: { ...namedArgs('name', 'a name for it'), ...limitArgs },
      run: async ({ args }) => {
        const r = await api(args).clientKeys.create.mutate({ name: args.name, ...limits(args) } as never)
        print(r, args.json)
      },
    }),
    update: defineCommand({
      meta: { description: 'Change a client key (only the options given)' },
      args: { ...namedArgs('name', 'client key name'), ...limitArgs },
      run: async ({ args }) => {
        await api(args).clientKeys.update.mutate({ name: args.name, ...limits(args) } as never)
        print({ name: args.name, updated: true }, args.json)
      },
    }),
    remove: removeCommand('Delete a client key: apps using it are refused at once', 'name', 'client key name', (args, name) => api(args).clientKeys.remove.mutate({ name })),
    enable: toggle(true),
    disable: toggle(false),
  },
})
