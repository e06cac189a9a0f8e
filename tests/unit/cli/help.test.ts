import { describe, expect, it } from 'vitest'
import type { CommandDef } from 'citty'

const SECRET = 'rsk-do-not-print-me-0123456789abcdef'
const URL_SECRET = 'http://ops:hunter2@gateway.internal:3000'

/** Every command and subcommand, with the name path that leads to it. */
async function walk(cmd: CommandDef<any>, path: string[], out: Array<{ path: string[]; cmd: CommandDef<any>; parent?: CommandDef<any> }>, parent?: CommandDef<any>) {
  out.push({ path, cmd, parent })
  const subs = (typeof cmd.subCommands === 'function' ? await cmd.subCommands() : await cmd.subCommands) ?? {}
  for (const [name, sub] of Object.entries(subs)) await walk((await sub) as CommandDef<any>, [...path, name], out, cmd)
}

describe('rosetta --help', () => {
  it('never shows the admin key (or a URL) from the environment, on any command', async () => {
    process.env.ROSETTA_ADMIN_KEY = SECRET
    process.env.ROSETTA_URL = URL_SECRET
    try {
      // Imported only now, so a default read from the environment at import time would be caught.
      const { renderUsage } = await import('citty')
      const commands = ['providers', 'keys', 'models', 'routes', 'client-keys', 'stats', 'logs', 'config', 'admin-key', 'health']
      const all: Array<{ path: string[]; cmd: CommandDef<any>; parent?: CommandDef<any> }> = []
      for (const c of commands) await walk((await import(`../../../cli/commands/${c}.ts`)).default, [c], all)
      expect(all.length).toBeGreaterThan(40)
      for (const { path, cmd, parent } of all) {
        const usage = await renderUsage(cmd, parent)
        expect(usage, path.join(' ')).not.toContain(SECRET)
        expect(usage, path.join(' ')).not.toContain('hunter2')
        // Still says where the key comes from.
        if (!cmd.subCommands) expect(usage, path.join(' ')).toContain('ROSETTA_ADMIN_KEY')
      }
    } finally {
      delete process.env.ROSETTA_ADMIN_KEY
      delete process.env.ROSETTA_URL
    }
  })
})
