import type { H3Event } from 'h3'
import { GatewayError } from '../gateway/errors'
import { sendError } from '../gateway/http/respond'
import { geminiDoor, proxyEvent } from './proxy-event'

/** POST /v1beta/models/{model}:{generateContent|streamGenerateContent} (and the same under /v1). */
export function geminiGenerate(event: H3Event): Promise<void> | void {
  const door = geminiDoor(event, getRouterParam(event, 'target', { decode: false }))
  if (door) return proxyEvent(event, door)
  sendError(event.node.res, 'gemini', new GatewayError('not_found', `unknown method in '${event.path}': expected models/{model}:generateContent or :streamGenerateContent`))
}
