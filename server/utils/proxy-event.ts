import type { H3Event } from 'h3'
import { whenReady } from '../services/app-state'
import { handleProxy } from '../gateway/proxy'
import type { Door } from '../gateway/door'

/** Thin Nitro → gateway bridge: the gateway works on Node's req/res directly (no h3 body helpers). */
export async function proxyEvent(event: H3Event, door: Door): Promise<void> {
  const st = await whenReady()
  const req = event.node.req
  await handleProxy(st.gateway, door, req, event.node.res, new URL(req.url ?? '/', 'http://localhost'))
}

/** `gemini-2.5-flash:streamGenerateContent` → model and method (the Gemini path carries both). */
export function geminiDoor(event: H3Event, target: string | undefined): Door | undefined {
  const t = decodeURIComponent(target ?? '')
  const i = t.lastIndexOf(':')
  if (i <= 0) return undefined
  const method = t.slice(i + 1)
  if (method !== 'generateContent' && method !== 'streamGenerateContent') return undefined
  const stream = method === 'streamGenerateContent'
  const alt = new URL(event.node.req.url ?? '/', 'http://localhost').searchParams.get('alt')
  return { dialect: 'gemini', gemini: { model: t.slice(0, i), stream, sse: stream && alt === 'sse' } }
}
