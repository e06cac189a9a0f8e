import type { Door } from './door'
import type { UpstreamDialect } from './ir'
import type { OfferedModel } from './model-list'
import type { DoorRefusal } from './http/door-refusal'

/**
 * Transport facts: everything about an upstream's wire that is not the body — where a call goes, how
 * it authenticates, where its model list and probe are — and, for a dialect, the public URLs its
 * clients use. Each dialect states the facts of its own vendor in `dialects/<name>/transport.ts`; each
 * provider type (`providers/<type>.ts`) maps to a wire dialect plus a transport (its own, or the
 * dialect's). The request path, the model list, the probe and the doors read these facts; none of
 * them decides a URL or a header itself.
 */

/** What one upstream call does. */
export type UpstreamOp = 'generate' | 'embeddings' | 'count_tokens'

export interface UpstreamCall {
  /** The wire dialect the body is written in. */
  dialect: UpstreamDialect
  op: UpstreamOp
  /** The upstream model name (a deployment at Azure). */
  model: string
  stream: boolean
}

/** An auth header and the template its value is made from (`Bearer {key}`). */
export interface AuthFormat {
  header: string
  template: string
}

/** One page of a model list in a common shape, and the cursor of the next one. */
export interface ModelListPage {
  models: OfferedModel[]
  next?: string
}

export interface ModelListFacts {
  /** The path of the page after `cursor` (the first page without one), relative to the base URL. */
  page(cursor: string | undefined): string
  read(json: unknown): ModelListPage
  /** The cheapest request that proves a key works (the active probe). */
  probe: string
}

/** A public door as the URL names it: the door, a refusal, or not this dialect's URL. */
export type DoorMatch = Door | DoorRefusal | undefined

/** The public URLs clients of a dialect call. */
export interface ClientDoors {
  /** Exact paths (no query) → the door without its query. */
  exact: Record<string, Omit<Door, 'query'>>
  /** Patterned paths (Gemini's `models/{model}:{method}`, OpenAI's `/v1/{provider}/chat/completions`). */
  match?(path: string, query: string): DoorMatch
  /** Whether an error on this URL (before any door is known, e.g. a 413) is written in this dialect. */
  speaksAt?(url: string): boolean
}

/** The facts of one dialect's wire at its own vendor (OpenAI, Anthropic, Google AI Studio). */
export interface DialectTransport {
  defaultBaseUrl: string
  auth: AuthFormat
  /** Headers every call carries unless the provider sets its own (Anthropic's `anthropic-version`). */
  headers?: Record<string, string>
  /** Headers a client of this dialect sends that the same dialect's upstream must still see (Anthropic's version and beta flags). */
  forwardedHeaders?: readonly string[]
  /** The path of a call relative to the base URL, query included; undefined: the vendor has no such endpoint. */
  path(call: UpstreamCall): string | undefined
  models: ModelListFacts
  doors: ClientDoors
}
