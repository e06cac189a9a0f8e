import { defineCommand } from 'citty'
import { api, common, int } from '../context'
import { print } from '../output'
import { CliError, EXIT } from '../client'

const modelArg = { type: 'positional', required: true, description: 'model entry name' } as const

async function entry(args: Parameters<typeof api>[0], name: string) {
  const m = (await api(args).models.list.query()).find((x) => x.name === name)
  if (!m) throw new CliError(`model '${name}' does not exist`, EXIT.notFound)
  return m
}

/** The exact response cache (issue 19): numbers, purge, and a model entry's cache setting. */
export default defineCommand({
  meta: { name: 'cache', description: 'The exact response cache: stats, purge, a model entry’s cache setting' },
  subCommands: {
    stats: defineCommand({
      meta: { description: 'Entries, size, hits, hit rate and saved cost' },
      args: common,
      run: async ({ args }) => {
        const s = await api(args).responseCache.stats.query()
        if (args.json) return print(s, true)
        print(
          {
            enabled: s.enabled,
            entries: s.entries,
            bytes: s.bytes,
            maxBytes: s.maxBytes,
            hits: s.hits,
            savedUsd: s.savedUsd,
            lookupsSinceBoot: `${s.lookups.hits} hit / ${s.lookups.misses} miss`,
            hitRate: s.lookups.hitRate ?? '-',
          },
          false,
        )
      },
    }),
    purge: defineCommand({
      meta: { description: 'Remove every cached answer (or one model’s with --model)' },
      args: { ...common, model: { type: 'string', description: 'only answers to this model name' } },
      run: async ({ args }) => {
        print(await api(args).responseCache.purge.mutate(args.model ? { model: args.model } : {}), args.json)
      },
    }),
    show: defineCommand({
      meta: { description: 'A model entry’s cache setting and plugins' },
      args: { ...common, name: modelArg },
      run: async ({ args }) => {
        const m = await entry(args, args.name)
        const out = { name: m.name, cache: m.cache ? (m.cache.enabled ? `on, ttl ${m.cache.ttl_s} s${m.cache.any_temperature ? ', any temperature' : ''}` : 'off') : 'off (not declared)', plugins: (m.plugins ?? []).map((p) => p.use).join(', ') || '-' }
        print(args.json ? { name: m.name, cache: m.cache, plugins: m.plugins } : out, args.json)
      },
    }),
    set: defineCommand({
      meta: { description: 'Turn a model entry’s cache on (with --ttl) or off (--off)' },
      args: {
        ...common,
        name: modelArg,
        ttl: { type: 'string', description: 'seconds an answer is served from the cache' },
        off: { type: 'boolean', description: 'turn the cache off for this entry' },
        'any-temperature': { type: 'boolean', description: 'cache requests with a non-zero temperature too' },
      },
      run: async ({ args }) => {
        const m = await entry(args, args.name)
        const ttl = args.ttl !== undefined ? int('--ttl', args.ttl, 1) : (m.cache?.ttl_s ?? 3600)
        const cache = { enabled: !args.off, ttl_s: ttl, any_temperature: args['any-temperature'] ?? m.cache?.any_temperature ?? false }
        await api(args).models.update.mutate({ name: m.name, targets: m.targets, fallbacks: m.fallbacks, enabled: m.enabled, cache })
        print({ name: m.name, cache: cache.enabled ? `on, ttl ${cache.ttl_s} s` : 'off' }, args.json)
      },
    }),
  },
})
