/**
 * Builders for the IR stream blocks the encoder tests feed in: a block is always its start, one delta
 * per part, and its end (ir/stream.ts), so a test names only what varies (index, parts, ids,
 * signatures). Optional fields are left out when not given, as a decoder would leave them out.
 */
import type { IRFinishReason, IRMessage, IRPart, IRRequest, IRResponse, IRStreamEvent, IRUsage, Signature, UnifiedFinishReason } from '../../server/gateway/ir'

export function textBlock(index: number, parts: string[]): IRStreamEvent[] {
  return [{ type: 'text-start', index }, ...parts.map((text): IRStreamEvent => ({ type: 'text-delta', index, text })), { type: 'text-end', index }]
}

export function reasoningBlock(index: number, parts: string[], opts: { signature?: Signature; redactedData?: string } = {}): IRStreamEvent[] {
  return [
    opts.redactedData === undefined ? { type: 'reasoning-start', index } : { type: 'reasoning-start', index, redactedData: opts.redactedData },
    ...parts.map((text): IRStreamEvent => ({ type: 'reasoning-delta', index, text })),
    opts.signature === undefined ? { type: 'reasoning-end', index } : { type: 'reasoning-end', index, signature: opts.signature },
  ]
}

export function toolCallBlock(index: number, call: { id: string; name: string; signature?: Signature }, argumentParts: string[]): IRStreamEvent[] {
  return [
    { type: 'tool-call-start', index, id: call.id, name: call.name },
    ...argumentParts.map((argumentsDelta): IRStreamEvent => ({ type: 'tool-call-delta', index, argumentsDelta })),
    call.signature === undefined ? { type: 'tool-call-end', index } : { type: 'tool-call-end', index, signature: call.signature },
  ]
}

/**
 * An answer as it comes out of an Anthropic upstream's decoder (id `msg_01`, its raw stop reason
 * kept): what the encoder tests feed another dialect to see foreign parts carried.
 */
export function anthropicAnswer(parts: IRPart[], finish: { unified: UnifiedFinishReason; raw: string }, usage: IRUsage): IRResponse {
  return irAnswer(parts, { ...finish, rawDialect: 'anthropic' }, usage, { id: 'msg_01', model: 'claude-sonnet-4-5' })
}

/** An answer as a decoder gives it: these parts, finish and usage (id `resp_1`, model `m`, created 1 unless `over` says). */
export function irAnswer(parts: IRPart[], finish: IRFinishReason, usage: IRUsage, over: Partial<IRResponse> = {}): IRResponse {
  return { id: 'resp_1', model: 'm', created: 1, parts, finish, usage, ...over }
}

/** A request as a decoder gives it: not streamed, no system prompt, these turns (`over` for the rest). */
export function irRequest(model: string, messages: IRMessage[], over: Partial<IRRequest> = {}): IRRequest {
  return { model, stream: false, system: [], messages, ...over }
}
