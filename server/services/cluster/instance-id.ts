import { hostname } from 'node:os'
import { workerIndex } from '../ops/workers'

/**
 * This instance's name: NUXT_INSTANCE_ID, else hostname:pid (unique on one host, readable in merged
 * logs). A worker of NUXT_WORKERS > 1 is an instance of its own: `-w<index>` is appended, so workers
 * sharing one NUXT_INSTANCE_ID stay apart (Redis lease, pub/sub origin, /health/detailed, log lines).
 */
export function resolveInstanceId(configured: string, worker: number | null = workerIndex()): string {
  const id = configured.trim() || `${hostname()}:${process.pid}`
  return worker === null ? id : `${id}-w${worker}`
}
