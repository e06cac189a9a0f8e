import type { H3Event } from 'h3'
import type { DialectName } from '../gateway/ir'
import { GatewayError } from '../gateway/errors'
import { sendError } from '../gateway/http/respond'
import { clientKeyOf } from '../gateway/http/client-key'
import { authenticate, type Snapshot } from '../gateway/routing/snapshot'
import { whenReady } from '../services/app-state'
import { randomUUID } from 'node:crypto'

/** Authenticates a read-only public call; on failure the error is already sent in the dialect. */
export async function authorizedSnapshot(event: H3Event, dialect: DialectName): Promise<{ snap: Snapshot; allow?: RegExp[] } | undefined> {
  const st = await whenReady()
  const res = event.node.res
  const id = `req_${randomUUID().replaceAll('-', '')}`
  res.setHeader('x-request-id', id)
  res.setHeader('request-id', id)
  const url = event.node.req.url ?? '/'
  const key = clientKeyOf(event.node.req, url.includes('?') ? url.slice(url.indexOf('?') + 1) : undefined)
  const who = key ? authenticate(st.snapshot, key) : undefined
  if (!who) {
    sendError(res, dialect, new GatewayError('authentication', key ? 'invalid API key' : 'missing API key'))
    return undefined
  }
  return { snap: st.snapshot, allow: who.allow }
}

export function visibleNames(names: string[], allow?: RegExp[]): string[] {
  return allow ? names.filter((n) => allow.some((re) => re.test(n))) : names
}
