import { readFileSync, writeFileSync } from 'node:fs'
import { defineCommand } from 'citty'
import { api, common } from '../context'
import { print } from '../output'
import { CliError, EXIT } from '../client'
import { renderPlan } from '../config-diff'

export default defineCommand({
  meta: { name: 'config', description: 'Configuration as code (rosetta.yaml)' },
  subCommands: {
    export: defineCommand({
      meta: { description: 'Write the whole configuration as YAML, lossless: every entry and field (keys masked unless --reveal, with their fingerprints; client keys as key_hash)' },
      args: { ...common, reveal: { type: 'boolean', default: false, description: 'include upstream keys in clear' }, out: { type: 'string', description: 'file to write (default stdout)' } },
      run: async ({ args }) => {
        const { yaml } = await api(args).config.export.query({ reveal: args.reveal })
        if (args.out) writeFileSync(args.out, yaml, { mode: args.reveal ? 0o600 : 0o644 })
        else if (args.json) print({ yaml }, true)
        else process.stdout.write(yaml)
      },
    }),
    import: defineCommand({
      meta: { description: 'Apply a file through the API: shows each change field by field and why entries are skipped; applies only with --yes' },
      args: { ...common, file: { type: 'positional', required: true, description: 'a rosetta.yaml' }, yes: { type: 'boolean', default: false, description: 'apply the changes' } },
      run: async ({ args }) => {
        let yaml: string
        try {
          yaml = readFileSync(args.file, 'utf8')
        } catch (e) {
          throw new CliError(`cannot read ${args.file}: ${(e as Error).message}`, EXIT.usage)
        }
        const r = await api(args).config.import.mutate({ yaml, dryRun: !args.yes })
        if (args.json) return print(r, true)
        process.stdout.write(renderPlan(r.changes, r.applied))
      },
    }),
    status: defineCommand({
      meta: { description: 'Where the configuration comes from, and the last rejected edit' },
      args: common,
      run: async ({ args }) => print(await api(args).config.status.query(), args.json),
    }),
  },
})
