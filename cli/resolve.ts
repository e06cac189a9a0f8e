import type { CommandDef } from 'citty'

/** The (sub)command the words of argv name, and its parent, for `--help` at any depth. */
export async function resolveSubCommand(cmd: CommandDef<any>, argv: string[], parent?: CommandDef<any>): Promise<[CommandDef<any>, CommandDef<any>?]> {
  const subs = typeof cmd.subCommands === 'function' ? await cmd.subCommands() : await cmd.subCommands
  const word = argv.find((a) => !a.startsWith('-'))
  if (subs && word && word in subs) {
    const sub = subs[word]!
    const resolved = (typeof sub === 'function' ? await (sub as () => Promise<CommandDef<any>>)() : await sub) as CommandDef<any>
    return resolveSubCommand(resolved, argv.slice(argv.indexOf(word) + 1), cmd)
  }
  return [cmd, parent]
}
