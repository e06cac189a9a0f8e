import { defineCommand, runCommand, showUsage } from 'citty'
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
import { resolveSubCommand } from './resolve'

const main = defineCommand({
  meta: { name: 'rosetta', description: 'Manage a running Rosetta gateway (talks to it over its admin API)' },
  subCommands: { providers, keys, models, routes, 'client-keys': clientKeys, stats, logs, config, 'admin-key': adminKey, health },
})

// One line that says what to fix, and an exit code scripts can trust.
process.on('unhandledRejection', (e) => fail(e))
function fail(e: unknown): never {
  const url = process.argv.find((a, i) => process.argv[i - 1] === '--url') ?? process.env.ROSETTA_URL ?? 'http://localhost:3000'
  const err = explain(e, url)
  process.stderr.write(`rosetta: ${err.message}\n`)
  process.exit(err.code)
}

/** citty's runMain prints whole stack traces: run the command ourselves, usage and errors our way. */
async function run(argv: string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h') || argv.length === 0) {
    await showUsage(...(await resolveSubCommand(main, argv)))
    return
  }
  try {
    await runCommand(main, { rawArgs: argv })
  } catch (e) {
    // citty's own errors (unknown command, missing argument) are usage errors.
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string' && code.startsWith('E_')) {
      await showUsage(...(await resolveSubCommand(main, argv)))
      throw new CliError((e as Error).message, EXIT.usage)
    }
    throw e
  }
}

run(process.argv.slice(2)).catch(fail)
