import type { ArgsDef, CommandDef } from 'citty'

async function subCommandOf(cmd: CommandDef<ArgsDef>, argv: string[]): Promise<{ word: string; sub: CommandDef<ArgsDef>; rest: string[] } | null> {
  const subs = typeof cmd.subCommands === 'function' ? await cmd.subCommands() : await cmd.subCommands
  const word = argv.find((a) => !a.startsWith('-'))
  if (!subs || !word || !(word in subs)) return null
  const s = subs[word]!
  const sub = (typeof s === 'function' ? await (s as () => Promise<CommandDef<ArgsDef>>)() : await s) as CommandDef<ArgsDef>
  return { word, sub, rest: argv.slice(argv.indexOf(word) + 1) }
}

/**
 * The (sub)command the words of argv name, and a parent named for the whole path (`rosetta keys`),
 * for `--help` at any depth: citty titles usage "<parent name> <command name>".
 */
export async function resolveSubCommand(cmd: CommandDef<ArgsDef>, argv: string[], path: string[] = []): Promise<[CommandDef<ArgsDef>, CommandDef<ArgsDef>?]> {
  const next = await subCommandOf(cmd, argv)
  if (next) return resolveSubCommand(next.sub, next.rest, [...path, next.word])
  if (path.length === 0) return [cmd]
  const meta = (typeof cmd.meta === 'function' ? await cmd.meta() : await cmd.meta) ?? {}
  const named = { ...cmd, meta: { ...meta, name: path[path.length - 1] } }
  return [named, { meta: { name: ['rosetta', ...path.slice(0, -1)].join(' ') } }]
}

/** The command words argv names (`['keys', 'add']`), for messages that say which command. */
export async function commandWords(cmd: CommandDef<ArgsDef>, argv: string[]): Promise<string[]> {
  const next = await subCommandOf(cmd, argv)
  return next ? [next.word, ...(await commandWords(next.sub, next.rest))] : []
}
