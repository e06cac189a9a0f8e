import { defineCommand } from 'citty'
import { api, common, int, list, type CommonArgs } from '../context'
import { print } from '../output'
import { listCommand, namedArgs, removeCommand } from '../subcommands'
import { CliError, EXIT } from '../client'
import { PRESETS } from '../../shared/presets'
import { presetOrFail, presetProviderFields, presetRow } from '../preset-provider'

async function current(a: CommonArgs, id: string) {
  const p = await api(a).providers.get.query({ id })
  const { source: _s, ...cfg } = p
  void _s
  return cfg
}

/** The settings only some provider types read (the server says which type needs or refuses which). */
const typeArgs = {
  'api-version': { type: 'string', description: 'azure-openai: the api-version of the deployment URLs (omit for the /openai/v1/ paths)' },
  project: { type: 'string', description: 'vertex: the Google Cloud project id' },
  location: { type: 'string', description: 'vertex: the region (us-east5, europe-west1, global)' },
  region: { type: 'string', description: 'bedrock: the AWS region requests are signed for (us-east-1, eu-central-1)' },
} as const

function typeOptions(a: { 'api-version'?: string; project?: string; location?: string; region?: string }) {
  return {
    ...(a['api-version'] ? { api_version: a['api-version'] } : {}),
    ...(a.project ? { project: a.project } : {}),
    ...(a.location ? { location: a.location } : {}),
    ...(a.region ? { region: a.region } : {}),
  }
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
    presets: defineCommand({
      meta: { description: 'List the vendor presets `providers add --preset` and `preset:` in rosetta.yaml accept' },
      args: common,
      run({ args }) {
        // The presets are data compiled into the CLI: no server needed.
        if (args.json) return print(PRESETS, true)
        print(PRESETS.map(presetRow), false, ['id', 'vendor', 'type', 'base_url', 'china_base_url', 'settings', 'models'])
      },
    }),
    add: defineCommand({
      meta: { description: 'Add a provider (from a vendor preset, or --type and --base-url)' },
      args: {
        ...namedArgs('id', 'provider id (lowercase, digits, dashes)'),
        preset: { type: 'string', description: 'vendor preset (see `rosetta providers presets`): fills type, base URL, auth and quirks' },
        china: { type: 'boolean', default: false, description: "with --preset: the vendor's mainland China site" },
        type: { type: 'string', description: 'openai | openai-responses | anthropic | gemini | azure-openai | vertex | bedrock (required without --preset)' },
        'base-url': { type: 'string', description: 'API root including its version path, overrides the preset (azure-openai: https://<resource>.openai.azure.com; vertex: the origin, by default from --location; bedrock: by default https://bedrock-runtime.{region}.amazonaws.com)' },
        ...typeArgs,
        keys: { type: 'string', description: 'comma-separated keys (bedrock: ACCESS_KEY_ID:SECRET_ACCESS_KEY; vertex, or bedrock with a session token: use `keys add --key-file` with the JSON)' },
        strategy: { type: 'string', description: 'round-robin | weighted | random | least-used | fill-first' },
        'timeout-ms': { type: 'string', description: 'response headers timeout' },
      },
      run: async ({ args }) => {
        if (!args.preset && !args.type) throw new CliError('give --preset <vendor> or --type (see `rosetta providers presets`)', EXIT.usage)
        if (args.china && !args.preset) throw new CliError('--china needs --preset', EXIT.usage)
        const fromPreset = args.preset ? presetProviderFields(presetOrFail(args.preset), args.china) : {}
        await api(args).providers.create.mutate({
          ...fromPreset,
          id: args.id,
          type: (args.type || fromPreset.type) as never,
          base_url: (args['base-url'] || fromPreset.base_url || undefined) as string | undefined,
          keys: list(args.keys),
          key_strategy: (args.strategy || 'round-robin') as never,
          headers: {},
          timeout_ms: args['timeout-ms'] ? int('--timeout-ms', args['timeout-ms'], 1) : 600_000,
          enabled: true,
          ...typeOptions(args),
        })
        print({ id: args.id, created: true }, args.json)
      },
    }),
    update: defineCommand({
      meta: { description: 'Change a provider (only the options given)' },
      args: {
        ...namedArgs('id', 'provider id'),
        'base-url': { type: 'string', description: 'API root' },
        ...typeArgs,
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
          ...typeOptions(args),
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
