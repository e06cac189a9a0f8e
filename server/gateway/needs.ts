import type { IRRequest } from './ir'

/** What a request asks of its target, for targets that declare their capabilities. */
export function requestNeeds(ir: IRRequest): string[] {
  const needs: string[] = []
  if (ir.tools?.length) needs.push('tools')
  if (ir.messages.some((m) => m.parts.some((p) => p.type === 'image' || (p.type === 'tool-result' && p.content.some((c) => c.type === 'image')))))
    needs.push('images')
  if (ir.reasoning?.enabled) needs.push('thinking')
  if (ir.responseFormat && ir.responseFormat.type !== 'text') needs.push('json')
  return needs
}
