import type { DialectName } from '../ir'
import { TRANSPORTS } from '../registry'
import type { ProviderTransport } from './provider-transport'

/** A provider type that is its dialect's own vendor: the dialect's transport facts as they are. */
export function fromDialect(dialect: DialectName): ProviderTransport {
  const t = TRANSPORTS[dialect]
  return {
    dialect,
    dialectFor: () => dialect,
    defaultBaseUrl: () => t.defaultBaseUrl,
    auth: t.auth,
    headers: t.headers ? () => t.headers : undefined,
    path: (call) => t.path(call),
    forwardsClientHeaders: true,
    models: () => t.models,
  }
}
