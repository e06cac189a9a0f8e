import { readFileSync } from 'node:fs'
import { defineCommand } from 'citty'
import { api, common, int } from '../context'
import { print } from '../output'
import { CliError, EXIT } from '../client'

function readText(file: string | undefined): string {
  try {
    return !file || file === '-' ? readFileSync(0, 'utf8') : readFileSync(file, 'utf8')
  } catch (e) {
    throw new CliError(`cannot read ${!file || file === '-' ? 'stdin' : file}: ${(e as Error).message}`, EXIT.usage)
  }
}

/** Keys from a file or stdin: one per line, blank lines and # comments ignored. */
function readKeys(file: string | undefined): string[] {
  return readText(file)
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
}

const toggle = (enable: boolean) =>
  defineCommand({
    meta: { description: enable ? 'Bring a disabled or resting key back now' : 'Take a key out of rotation' },
    args: { ...common, id: { type: 'positional', required: true, description: 'key id (see keys list)' }, reason: { type: 'string', description: 'why (shown in the UI)' } },
    run: async ({ args }) => {
      const id = int('key id', args.id, 1)
      if (enable) await api(args).keys.enable.mutate({ id })
      else await api(args).keys.disable.mutate({ id, reason: args.reason || 'disabled with the CLI' })
      print({ id, status: enable ? 'active' : 'disabled' }, args.json)
    },
  })

export default defineCommand({
  meta: { name: 'keys', description: 'Upstream key pools (always shown masked)' },
  subCommands: {
    list: defineCommand({
      meta: { description: 'Keys with their pool state' },
      args: { ...common, provider: { type: 'string', description: 'only this provider' } },
      run: async ({ args }) => {
        const rows = await api(args).keys.list.query(args.provider ? { provider: args.provider } : undefined)
        print(rows, args.json, args.json ? undefined : ['id', 'provider', 'hint', 'status', 'restingUntil', 'disabledReason', 'requests', 'successes', 'inFlight', 'lastError'])
      },
    }),
    add: defineCommand({
      meta: { description: 'Add keys to a provider: as arguments, or many from --file (or stdin with --file -)' },
      args: {
        ...common,
        provider: { type: 'positional', required: true, description: 'provider id' },
        key: { type: 'positional', required: false, description: 'a key (omit to read --file)' },
        file: { type: 'string', description: 'file with one key per line; - for stdin' },
        'key-file': { type: 'string', description: 'file that is one key as a whole (a Vertex service-account JSON, a Bedrock credential JSON with access_key_id, secret_access_key, session_token); - for stdin' },
      },
      run: async ({ args }) => {
        const keys = args.key
          ? [args.key, ...((args._ as string[]) ?? []).slice(2)]
          : args['key-file']
            ? [readText(args['key-file']).trim()].filter(Boolean)
            : readKeys(args.file)
        if (keys.length === 0) throw new CliError('no keys given: pass them as arguments or with --file', EXIT.usage)
        const r = await api(args).providers.addKeys.mutate({ id: args.provider, keys })
        print({ provider: args.provider, given: keys.length, added: r.added, skipped: keys.length - r.added }, args.json)
      },
    }),
    remove: defineCommand({
      meta: { description: 'Remove a key from its pool' },
      args: { ...common, id: { type: 'positional', required: true, description: 'key id' } },
      run: async ({ args }) => {
        const id = int('key id', args.id, 1)
        await api(args).providers.removeKey.mutate({ keyId: id })
        print({ id, removed: true }, args.json)
      },
    }),
    enable: toggle(true),
    disable: toggle(false),
  },
})
