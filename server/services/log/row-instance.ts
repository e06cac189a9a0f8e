import { resolveInstanceId } from '../cluster/instance-id'

/**
 * The instance name written on every request-log row. Set once at boot from the cluster's resolved id
 * (NUXT_INSTANCE_ID, else hostname:pid); a writer used before boot (tests, tools) gets hostname:pid.
 */
let current = resolveInstanceId('')

export function setRowInstance(id: string): void {
  current = id
}

export function rowInstance(): string {
  return current
}
