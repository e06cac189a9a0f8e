import type { LogSink, RequestLogEntry } from '../../gateway/log-entry'
import { isLevelEnabled, logger } from '../../utils/logger'

/**
 * Debug mode's verbose trail: one structured line per finished /v1 request. Outside debug level
 * it costs one comparison.
 */
export class RequestDebugLog implements LogSink {
  push(e: RequestLogEntry): void {
    if (!isLevelEnabled('debug')) return
    logger.debug('request finished', {
      requestId: e.requestId,
      dialect: e.dialect,
      model: e.model,
      provider: e.providerId,
      upstreamModel: e.upstreamModel,
      route: e.route,
      stream: e.stream,
      status: e.status,
      errorKind: e.errorKind,
      errorMessage: e.errorMessage,
      latencyMs: Math.round(e.latencyMs),
      ttfbMs: e.ttfbMs === null ? null : Math.round(e.ttfbMs),
      usage: e.usage,
      attempts: e.attempts,
    })
  }
}
