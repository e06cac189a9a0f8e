import { hostname } from 'node:os'

/** This instance's name: NUXT_INSTANCE_ID, else hostname:pid (unique on one host, readable in merged logs). */
export function resolveInstanceId(configured: string): string {
  const id = configured.trim()
  return id || `${hostname()}:${process.pid}`
}
