import type { DialectName, IRRequest, IRResponse, IRStreamEvent } from '../ir'
import type { RequestLogEntry } from '../log-entry'

/**
 * The plugin API (issue 19, docs/plugins.md). Hooks work on the IR, so one hook serves every dialect.
 * Built-ins (./builtins/) and plugins from NUXT_PLUGINS_DIR are written against exactly this.
 */

/** What every hook gets besides its subject. */
export interface PluginContext {
  /** The plugin's `with:` from rosetta.yaml ({} when none). */
  readonly options: Readonly<Record<string, unknown>>
  readonly requestId: string
  /** The client's dialect. */
  readonly dialect: DialectName
  /** The model the client asked for. */
  readonly model: string
  /** The client key's name ('admin' for the admin key). */
  readonly clientKey: string
  /** Scratch space for this plugin for this request (a stream hook keeps what it holds back here). */
  readonly state: Record<string, unknown>
  /** Headers for the upstream call: set a value to add/replace one, `null` to remove one (onRequest only). */
  readonly upstreamHeaders: Record<string, string | null>
  /** Notes a sentence on the request's log row (`plugin=<name>: …` in warnings); not a failure. */
  warn(message: string): void
}

/** onRequest may refuse the request: the client gets this status with the message, in its own dialect. */
export interface PluginDenial {
  deny: string
  /** 400 (the request's content) or 403 (not allowed); 403 when not given. */
  status?: 400 | 403
}

/** onRequest may answer the request itself: no upstream call is made. */
export interface PluginAnswer {
  answer: IRResponse
}

export type RequestHookResult = IRRequest | PluginDenial | PluginAnswer | undefined
/**
 * onResponse may ask for the request to be sent upstream once more (a non-streamed answer only, at most
 * once per request; the retried answer goes through the hooks again, with no retry left).
 */
export interface PluginRetry {
  retry: string
}

export type ResponseHookResult = IRResponse | PluginDenial | PluginRetry | undefined

export interface RosettaPlugin {
  /** How rosetta.yaml names it (`plugins: [{ use: <name> }]`). */
  name: string
  /** Before routing to an upstream (and before the cache): change the request, deny it, or answer it. */
  onRequest?: (req: IRRequest, ctx: PluginContext) => RequestHookResult | Promise<RequestHookResult>
  /** A complete (non-streamed) answer, before the client's encoder: change or redact it (return the new one), or refuse it. */
  onResponse?: (res: IRResponse, ctx: PluginContext) => ResponseHookResult | Promise<ResponseHookResult>
  /**
   * Each event of a streamed answer, in order, synchronously: return the event (changed or not), several
   * events, or `null` / `[]` to hold it back (release it later, e.g. on `text-end`). Undefined = pass
   * through. An `error` event ends the stream in-band (a refusal made here blames no upstream key).
   */
  onStreamEvent?: (ev: IRStreamEvent, ctx: PluginContext) => IRStreamEvent | IRStreamEvent[] | null | undefined
  /** The finished log entry (after the client has its answer); for side effects only. */
  onLog?: (entry: Readonly<RequestLogEntry>, ctx: PluginContext) => void | Promise<void>
}

/** Declares a plugin (checks its shape; returns it unchanged). A plugin module's default export. */
export function defineRosettaPlugin(p: RosettaPlugin): RosettaPlugin {
  if (typeof p !== 'object' || p === null || typeof p.name !== 'string' || !/^[a-z0-9][a-z0-9._-]*$/.test(p.name))
    throw new TypeError('a Rosetta plugin needs a name of lowercase letters, digits, dots and dashes')
  for (const k of ['onRequest', 'onResponse', 'onStreamEvent', 'onLog'] as const)
    if (p[k] !== undefined && typeof p[k] !== 'function') throw new TypeError(`plugin '${p.name}': ${k} must be a function`)
  return p
}

export function isDenial(r: unknown): r is PluginDenial {
  return typeof r === 'object' && r !== null && typeof (r as { deny?: unknown }).deny === 'string'
}

export function isAnswer(r: unknown): r is PluginAnswer {
  return typeof r === 'object' && r !== null && typeof (r as { answer?: unknown }).answer === 'object' && (r as { answer?: unknown }).answer !== null
}

export function isRetry(r: unknown): r is PluginRetry {
  return typeof r === 'object' && r !== null && typeof (r as { retry?: unknown }).retry === 'string'
}
