import { defineCommand } from 'citty'
import { api, common, int, list, type CommonArgs } from '../context'
import { print } from '../output'
import { listCommand, namedArgs, removeCommand } from '../subcommands'
import { CliError, EXIT } from '../client'

async function current(a: CommonArgs, id: string) {
  const p = await api(a).providers.get.query({ id })
  const { source: _s, ...cfg } = p
  void _s
  return cfg
}

const setEnabled = (enabled: boolean) =>
  defineCommand({
    meta: { description: `${enabled ? 'Enable' : 'Disable'} a provider` },
    args: namedArgs('id', 'provider id'),
    async run({ args }) {
      const cfg = await current(args, args.id)
      await api(args).providers.update.mutate({ ...cfg, keys: [], enabled })
      print({ id: args.id, enabled }, args.json)
    },
  })

export default defineCommand({
  meta: { name: 'providers', description: 'Upstream providers' },
  subCommands: {
    list: listCommand('List providers with their key counts and health', (args) => api(args).providers.list.query(), {
      row: (p) => ({ ...p, keys: `${p.keyCounts.active}/${p.keyCounts.total}`, default: p.isDefault ? 'yes' : '' }),
      columns: ['id', 'type', 'base_url', 'keys', 'key_strategy', 'enabled', 'circuit', 'source', 'default'],
    }),
    add: defineCommand({
      meta: { description: 'Add a provider' },
      args: {
        ...namedArgs('id', 'provider id (lowercase, digits, dashes)'),
        type: { type: 'string', required: true, description: 'openai | openai-responses | anthropic | gemini' },
        'base-url': { type: 'string', description: 'API root including its version path' },
        keys: { type: 'string', description: 'comma-separated keys' },
        strategy: { type: 'string', description: 'round-robin | weighted | random | least-used | fill-first' },
        'timeout-ms': { type: 'string', description: 'response headers timeout' },
      },
      run: async ({ args }) => {
        await api(args).providers.create.mutate({
          id: args.id,
          type: args.type as never,
          base_url: args['base-url'] || undefined,
          keys: list(args.keys),
          key_strategy: (args.strategy || 'round-robin') as never,
          headers: {},
          timeout_ms: args['timeout-ms'] ? int('--timeout-ms', args['timeout-ms'], 1) : 600_000,
          enabled: true,
        })
        print({ id: args.id, created: true }, args.json)
      },
    }),
    update: defineCommand({
      meta: { description: 'Change a provider (only the options given)' },
      args: {
        ...namedArgs('id', 'provider id'),
        'base-url': { type: 'string', description: 'API root' },
        strategy: { type: 'string', description: 'key strategy' },
        'timeout-ms': { type: 'string', description: 'response headers timeout' },
      },
      run: async ({ args }) => {
        const cfg = await current(args, args.id)
        await api(args).providers.update.mutate({
          ...cfg,
          keys: [],
          ...(args['base-url'] ? { base_url: args['base-url'] } : {}),
          ...(args.strategy ? { key_strategy: args.strategy as never } : {}),
          ...(args['timeout-ms'] ? { timeout_ms: int('--timeout-ms', args['timeout-ms'], 1) } : {}),
        })
        print({ id: args.id, updated: true }, args.json)
      },
    }),
    remove: removeCommand('Remove a provider and its keys', 'id', 'provider id', (args, id) => api(args).providers.remove.mutate({ id })),
    enable: setEnabled(true),
    disable: setEnabled(false),
    'set-default': defineCommand({
      meta: { description: 'Make a provider the default (or --none)' },
      args: { ...common, id: { type: 'positional', required: false, description: 'provider id' }, none: { type: 'boolean', default: false, description: 'no default provider' } },
      run: async ({ args }) => {
        if (!args.id && !args.none) throw new CliError('give a provider id, or --none', EXIT.usage)
        await api(args).providers.setDefault.mutate({ id: args.none ? null : args.id! })
        print({ default_provider: args.none ? null : args.id }, args.json)
      },
    }),
  },
})
