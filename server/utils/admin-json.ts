import type { H3Event } from 'h3'
import { readBody } from '../gateway/http/read-body'
import { appState } from '../services/app-state'

/** A small JSON reply for REST admin routes, never cached. */
export function sendAdminJson(event: H3Event, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  event.node.res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text) })
  event.node.res.end(text)
}

/** The JSON object body of a REST admin call, within the body limit; undefined after sending a 4xx. */
export async function readAdminJson(event: H3Event): Promise<Record<string, unknown> | undefined> {
  const limit = Math.round((appState()?.settings.maxBodyMb ?? 32) * 1048576)
  let raw: Buffer
  try {
    raw = await readBody(event.node.req, limit)
  } catch (e) {
    sendAdminJson(event, 413, { error: { code: 'payload_too_large', message: (e as Error).message } })
    return undefined
  }
  try {
    const v: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw))
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>
  } catch {
    /* answered below */
  }
  sendAdminJson(event, 400, { error: { code: 'invalid_request', message: 'the body must be a JSON object' } })
  return undefined
}
