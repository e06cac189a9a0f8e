import './no-color'
import { defineCommand, runCommand, showUsage, type ArgsDef, type CommandDef } from 'citty'
import pkg from '../package.json' with { type: 'json' }
import { CliError, EXIT, explain } from './client'
import providers from './commands/providers'
import keys from './commands/keys'
import models from './commands/models'
import routes from './commands/routes'
import config from './commands/config'
import health from './commands/health'
import clientKeys from './commands/client-keys'
import stats from './commands/stats'
import logs from './commands/logs'
import adminKey from './commands/admin-key'
import cache from './commands/cache'
import { commandWords, resolveSubCommand } from './resolve'

const main = defineCommand({
  meta: { name: 'rosetta', version: pkg.version, description: 'Manage a running Rosetta gateway (talks to it over its admin API); --version prints the version' },
  subCommands: { providers, keys, models, routes, 'client-keys': clientKeys, stats, logs, config, 'admin-key': adminKey, health, cache },
})

// One line that says what to fix, and an exit code scripts can trust.
process.on('unhandledRejection', (e) => fail(e))
function fail(e: unknown): never {
  const argv = process.argv
  const url = argv.find((a, i) => argv[i - 1] === '--url') ?? argv.find((a) => a.startsWith('--url='))?.slice(6) ?? (process.env.ROSETTA_URL || 'http://localhost:3000')
  const err = explain(e, url)
  process.stderr.write(`rosetta: ${err.message}\n`)
  process.exit(err.code)
}

/**
 * Options the command does not know are usage errors, not silently ignored (a mistyped `--jsno`
 * or `--day-token` would otherwise run the command without them).
 */
async function checkOptions(cmd: CommandDef<ArgsDef>, argv: string[], path: string[]): Promise<void> {
  const defs = ((typeof cmd.args === 'function' ? await cmd.args() : await cmd.args) ?? {}) as ArgsDef
  const known = new Map<string, string>()
  for (const [name, def] of Object.entries(defs)) {
    if (def.type === 'positional') continue
    known.set(name, def.type ?? 'string')
    for (const a of [('alias' in def ? def.alias : undefined) ?? []].flat()) known.set(a, def.type ?? 'string')
  }
  for (const tok of argv) {
    if (tok === '--') break
    const m = /^--?([a-zA-Z][\w-]*)/.exec(tok)
    if (!m) continue
    const name = m[1]!
    const plain = name.startsWith('no-') && known.get(name.slice(3)) === 'boolean' ? name.slice(3) : name
    if (!known.has(plain)) throw new CliError(`unknown option ${tok.split('=')[0]} (see ${['rosetta', ...path, '--help'].join(' ')})`, EXIT.usage)
  }
}

/** citty's runMain prints whole stack traces: run the command ourselves, usage and errors our way. */
async function run(argv: string[]): Promise<void> {
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
    process.stdout.write(`${pkg.version}\n`)
    return
  }
  if (argv.includes('--help') || argv.includes('-h') || argv.length === 0) {
    await showUsage(...(await resolveSubCommand(main, argv)))
    return
  }
  const [leaf] = await resolveSubCommand(main, argv)
  if (leaf.run) await checkOptions(leaf, argv, await commandWords(main, argv))
  try {
    await runCommand(main, { rawArgs: argv })
  } catch (e) {
    // citty's own errors (unknown command, missing argument) are usage errors.
    if ((e as Error).name === 'CLIError') {
      await showUsage(...(await resolveSubCommand(main, argv)))
      throw new CliError((e as Error).message, EXIT.usage)
    }
    throw e
  }
}

run(process.argv.slice(2)).catch(fail)
