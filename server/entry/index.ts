/**
 * The production entry (`.output/server/index.mjs`). With NUXT_WORKERS unset or 1 it is the server
 * itself (./node-server.ts, loaded at once: exactly the single process of before). With more, this
 * process becomes node:cluster's primary: it loads none of the app (no store is opened here, see
 * ./primary.ts), forks the workers, re-forks one that dies and passes shutdown signals on. Each worker
 * runs this file again and, being a worker, loads the server.
 */
import cluster from 'node:cluster'
import { parseWorkers, primaryLog, runPrimary, workersRefusal } from './primary'

let workers = 1
try {
  workers = cluster.isPrimary ? parseWorkers(process.env.NUXT_WORKERS) : 1
  const refusal = workers > 1 ? workersRefusal(process.env) : null
  if (refusal) throw new Error(refusal)
} catch (e) {
  primaryLog('error', `Rosetta could not start: ${(e as Error).message}`)
  process.exit(1)
}

if (workers > 1) runPrimary(workers)
else
  import('./node-server').catch((e: Error) => {
    primaryLog('error', `Rosetta could not start: ${e.message}`)
    process.exit(1)
  })
