import { describe, expect, it } from 'vitest'
import { ProbingProviderHealth } from '../../../server/services/ops/provider-probe'
import { PassiveProviderHealth } from '../../../server/services/ops/provider-health'
import type { ProviderRuntime, Snapshot } from '../../../server/gateway/routing/snapshot'

const provider = (id: string, enabled = true) => ({ id, dialect: 'openai-chat', enabled, keys: [] }) as unknown as ProviderRuntime
const snap = (ps: ProviderRuntime[]) => ({ providers: new Map(ps.map((p) => [p.id, p])) }) as unknown as Snapshot

describe('active provider probes', () => {
  it('probe every enabled provider, report up/down with latency, and bring passing providers back', async () => {
    const ps = [provider('good'), provider('bad'), provider('off', false)]
    const up: string[] = []
    const asked: string[] = []
    const h = new ProbingProviderHealth(new PassiveProviderHealth(), () => snap(ps), (id) => up.push(id), async (p) => {
      asked.push(p.id)
      if (p.id === 'bad') throw new Error('GET models: HTTP 503')
    })
    await h.runOnce()
    expect(asked.sort()).toEqual(['bad', 'good'])
    expect(up).toEqual(['good'])
    const r = Object.fromEntries(h.report(ps).map((x) => [x.id, x]))
    expect(r.good).toMatchObject({ status: 'up', source: 'probe', probe: { ok: true, error: null } })
    expect(r.bad).toMatchObject({ status: 'down', source: 'probe', probe: { ok: false, error: 'GET models: HTTP 503' } })
    expect(r.good!.probe!.latencyMs).toBeGreaterThanOrEqual(0)
    expect(r.off!.probe).toBeNull()
  })

  it('recent traffic outranks the probe', async () => {
    const ps = [provider('busy')]
    const h = new ProbingProviderHealth(new PassiveProviderHealth(), () => snap(ps), () => {}, async () => {
      throw new Error('down')
    })
    h.push({ providerId: 'busy', attempts: [{ provider: 'busy', model: 'm', keyId: 1, status: 200, errorKind: null, latencyMs: 5 }], status: 200, errorKind: null, errorMessage: null } as never)
    await h.runOnce()
    expect(h.report(ps)[0]).toMatchObject({ status: 'up', source: 'passive', probe: { ok: false } })
  })
})
