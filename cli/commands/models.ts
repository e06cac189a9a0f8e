import { defineCommand } from 'citty'
import { api, list, target } from '../context'
import { print } from '../output'
import { listCommand, namedArgs, removeCommand } from '../subcommands'
import { CliError, EXIT } from '../client'

const fmt = (ts: Array<{ provider: string; model: string; weight: number }>) => ts.map((t) => `${t.provider}:${t.model}${t.weight !== 1 ? `:${t.weight}` : ''}`).join(', ')

function entryArgs() {
  return {
    ...namedArgs('name', 'public model name'),
    targets: { type: 'string', description: 'provider:model[:weight],...' },
    fallbacks: { type: 'string', description: 'provider:model,... tried in order' },
  } as const
}

const toggle = (enabled: boolean) =>
  defineCommand({
    meta: { description: `${enabled ? 'Enable' : 'Disable'} a model entry` },
    args: namedArgs('name', 'model name'),
    run: async ({ args }) => {
      const m = (await api(args).models.list.query()).find((x) => x.name === args.name)
      if (!m) throw new CliError(`model '${args.name}' does not exist`, EXIT.notFound)
      await api(args).models.update.mutate({ name: m.name, targets: m.targets, fallbacks: m.fallbacks, enabled })
      print({ name: args.name, enabled }, args.json)
    },
  })

export default defineCommand({
  meta: { name: 'models', description: 'Public model names → weighted targets and fallbacks' },
  subCommands: {
    list: listCommand('List model entries', (args) => api(args).models.list.query(), {
      row: (m) => ({ ...m, targets: fmt(m.targets), fallbacks: fmt(m.fallbacks) }),
      columns: ['name', 'targets', 'fallbacks', 'enabled', 'source'],
    }),
    add: defineCommand({
      meta: { description: 'Add a model entry' },
      args: entryArgs(),
      run: async ({ args }) => {
        const targets = list(args.targets).map(target)
        if (targets.length === 0) throw new CliError('--targets is required: provider:model[:weight],...', EXIT.usage)
        await api(args).models.create.mutate({ name: args.name, targets, fallbacks: list(args.fallbacks).map(target), enabled: true })
        print({ name: args.name, created: true }, args.json)
      },
    }),
    update: defineCommand({
      meta: { description: 'Change a model entry (only the options given)' },
      args: entryArgs(),
      run: async ({ args }) => {
        const m = (await api(args).models.list.query()).find((x) => x.name === args.name)
        if (!m) throw new CliError(`model '${args.name}' does not exist`, EXIT.notFound)
        await api(args).models.update.mutate({
          name: m.name,
          targets: args.targets ? list(args.targets).map(target) : m.targets,
          fallbacks: args.fallbacks !== undefined ? list(args.fallbacks).map(target) : m.fallbacks,
          enabled: m.enabled,
        })
        print({ name: args.name, updated: true }, args.json)
      },
    }),
    remove: removeCommand('Remove a model entry', 'name', 'model name', (args, name) => api(args).models.remove.mutate({ name })),
    enable: toggle(true),
    disable: toggle(false),
  },
})
