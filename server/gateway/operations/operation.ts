import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Door, GatewayRuntime } from '../door'
import type { ResolvedTarget } from '../routing/resolve'
import type { GatewayError } from '../errors'
import type { AttemptInput, AttemptResult } from '../attempt'

/**
 * A kind of call other than chat (embeddings, token counting). Delivery runs every kind through the
 * same machinery (resolution, targets, key pools, failover, the log); an operation only says which
 * targets can take it, whether it needs an upstream key, and makes one attempt.
 */
export interface Operation {
  name: 'embeddings' | 'count_tokens'
  /** The 400 for a target that cannot take this call at all (e.g. embeddings at Anthropic); undefined = it can. */
  refuse(target: ResolvedTarget): GatewayError | undefined
  /** True when the target is answered without an upstream call (a local estimate): no key is taken. */
  local(target: ResolvedTarget): boolean
  /**
   * Work done before a key is taken for a target (the embeddings cache lookup). `answered`: the client
   * has its answer with no key and no upstream call; else `state` reaches `run` as `a.prepared`.
   */
  prepare?(rt: GatewayRuntime, door: Door, res: ServerResponse, a: PrepareInput): Promise<{ answered?: AttemptResult; state?: unknown }>
  run(rt: GatewayRuntime, door: Door, req: IncomingMessage, res: ServerResponse, a: AttemptInput): Promise<AttemptResult>
}

export interface PrepareInput {
  target: ResolvedTarget
  body: Record<string, unknown>
  model: string
  t0: number
}
