import { defineCommand } from 'citty'
import { api, common, int } from '../context'
import { print } from '../output'
import { listCommand, namedArgs, removeCommand } from '../subcommands'
import { CliError, EXIT } from '../client'

/** `prefix:gpt-` → { prefix: 'gpt-' } */
function match(s: string | undefined): Record<string, string> {
  const i = s?.indexOf(':') ?? -1
  const kind = i > 0 ? s!.slice(0, i) : ''
  if (!['exact', 'prefix', 'keyword', 'regex'].includes(kind)) throw new CliError("--match must be exact:NAME, prefix:TEXT, keyword:TEXT or regex:PATTERN", EXIT.usage)
  return { [kind]: s!.slice(i + 1) }
}

async function find(args: Parameters<typeof api>[0], name: string) {
  const r = (await api(args).routes.list.query()).find((x) => x.name === name)
  if (!r) throw new CliError(`route '${name}' does not exist`, EXIT.notFound)
  return { name: r.name, match: { [r.matchType]: r.pattern } as never, provider: r.providerId, model: r.modelTemplate, priority: r.priority, enabled: r.enabled }
}

const toggle = (enabled: boolean) =>
  defineCommand({
    meta: { description: `${enabled ? 'Enable' : 'Disable'} a route` },
    args: namedArgs('name', 'route name'),
    run: async ({ args }) => {
      await api(args).routes.update.mutate({ ...(await find(args, args.name)), enabled })
      print({ name: args.name, enabled }, args.json)
    },
  })

export default defineCommand({
  meta: { name: 'routes', description: 'Routing rules tried by priority when no model entry matches' },
  subCommands: {
    list: listCommand('Routes in the order they are tried', (args) => api(args).routes.list.query(), {
      row: (r) => ({ ...r, match: `${r.matchType}:${r.pattern}` }),
      columns: ['name', 'match', 'providerId', 'modelTemplate', 'priority', 'enabled', 'source'],
    }),
    add: defineCommand({
      meta: { description: 'Add a route' },
      args: {
        ...namedArgs('name', 'route name'),
        match: { type: 'string', required: true, description: 'exact:NAME | prefix:TEXT | keyword:TEXT | regex:PATTERN' },
        provider: { type: 'string', required: true, description: 'target provider id' },
        model: { type: 'string', description: 'upstream model template ({model} = the requested name)', default: '{model}' },
        priority: { type: 'string', description: 'higher goes first', default: '0' },
      },
      run: async ({ args }) => {
        await api(args).routes.create.mutate({ name: args.name, match: match(args.match) as never, provider: args.provider, model: args.model, priority: int('--priority', args.priority, -1_000_000), enabled: true })
        print({ name: args.name, created: true }, args.json)
      },
    }),
    update: defineCommand({
      meta: { description: 'Change a route (only the options given)' },
      args: {
        ...namedArgs('name', 'route name'),
        match: { type: 'string', description: 'exact:NAME | prefix:TEXT | keyword:TEXT | regex:PATTERN' },
        provider: { type: 'string', description: 'target provider id' },
        model: { type: 'string', description: 'upstream model template' },
        priority: { type: 'string', description: 'higher goes first' },
      },
      run: async ({ args }) => {
        const r = await find(args, args.name)
        await api(args).routes.update.mutate({
          ...r,
          ...(args.match ? { match: match(args.match) as never } : {}),
          ...(args.provider ? { provider: args.provider } : {}),
          ...(args.model ? { model: args.model } : {}),
          ...(args.priority !== undefined ? { priority: int('--priority', args.priority, -1_000_000) } : {}),
        })
        print({ name: args.name, updated: true }, args.json)
      },
    }),
    remove: removeCommand('Remove a route', 'name', 'route name', (args, name) => api(args).routes.remove.mutate({ name })),
    enable: toggle(true),
    disable: toggle(false),
    test: defineCommand({
      meta: { description: 'Which target would serve this model name, and why' },
      args: { ...common, model: { type: 'positional', required: true, description: 'a model name as a client would send it' }, provider: { type: 'string', description: 'as if forced to this provider' } },
      run: async ({ args }) => {
        const r = await api(args).routes.test.query({ model: args.model, provider: args.provider })
        if (args.json) return print(r, true)
        process.stdout.write(`${r.why}\n`)
        if (r.targets.length) print(r.targets, false, ['role', 'provider', 'model', 'circuit'])
        if (!r.matched) process.exitCode = EXIT.notFound
      },
    }),
  },
})
