import { defineCommand } from 'citty'
import { common, type CommonArgs } from './context'
import { print, type Column } from './output'

/**
 * The subcommands every config entity has (providers, models, routes, client keys) and that behave
 * the same for each: `list` (JSON as the server sends it, or a table) and `remove`. One definition,
 * so the entities cannot drift apart in their arguments or in what they print.
 */

type Positional = { type: 'positional'; required: true; description: string }

/** `common` plus the positional that names the entry a subcommand acts on (`name` or `id`). */
export function namedArgs<K extends 'name' | 'id'>(key: K, description: string): typeof common & Record<K, Positional> {
  return { ...common, [key]: { type: 'positional', required: true, description } } as typeof common & Record<K, Positional>
}

/** `list`: the rows as JSON with --json, else a table of `columns` over `row(r)` (or the rows as they are). */
export function listCommand<Row>(description: string, query: (args: CommonArgs) => Promise<Row[]>, table: { columns: Column[]; row?: (r: Row) => object }) {
  return defineCommand({
    meta: { description },
    args: common,
    run: async ({ args }) => {
      const rows = await query(args)
      if (args.json) return print(rows, true)
      print(table.row ? rows.map(table.row) : rows, false, table.columns)
    },
  })
}

/** `remove <name|id>`: deletes the entry and says so (`{ name, removed: true }`). */
export function removeCommand(description: string, key: 'name' | 'id', what: string, remove: (args: CommonArgs, value: string) => Promise<unknown>) {
  return defineCommand({
    meta: { description },
    args: namedArgs(key, what),
    run: async ({ args }) => {
      const value = (args as Record<string, unknown>)[key] as string
      await remove(args, value)
      print({ [key]: value, removed: true }, args.json)
    },
  })
}
