import { describe, expect, it } from 'vitest'
import { nextMove, policyFor, type NextMove } from '../../../server/gateway/pool/policy'
import { GatewayError, type GatewayErrorKind } from '../../../server/gateway/errors'

/** What a failure means: one rule per error kind, and retryability read from the same place. */
describe('failure policy', () => {
  it('a rate limit rests the (key, model) pair only; other keys and targets may answer', () => {
    expect(policyFor('rate_limit')).toEqual({ key: 'rest-model', circuit: false, tryOtherKey: true, tryOtherTarget: true, transient: true })
  })

  it('a spent quota rests the whole key; an invalid key is disabled; a permission refusal rests the key', () => {
    expect(policyFor('quota')).toMatchObject({ key: 'rest-key', circuit: false, tryOtherKey: true })
    expect(policyFor('authentication')).toMatchObject({ key: 'disable', circuit: false, tryOtherKey: true })
    expect(policyFor('permission')).toMatchObject({ key: 'rest-key', circuit: false })
  })

  it.each(['upstream_error', 'overloaded', 'unavailable', 'timeout', 'connection'] as const)('%s never rests a key; it feeds the circuit', (kind) => {
    expect(policyFor(kind)).toMatchObject({ key: 'none', circuit: true, tryOtherTarget: true, transient: true })
  })

  it('timeouts and resets do not try the same target with another key (unreachable is unreachable)', () => {
    expect(policyFor('timeout').tryOtherKey).toBe(false)
    expect(policyFor('connection').tryOtherKey).toBe(false)
    expect(policyFor('upstream_error').tryOtherKey).toBe(true)
  })

  it.each(['invalid_request', 'payload_too_large', 'unsupported', 'internal'] as const)("the client's own %s never counts against a key or a provider and is not retried", (kind) => {
    expect(policyFor(kind)).toEqual({ key: 'none', circuit: false, tryOtherKey: false, tryOtherTarget: false, transient: false })
  })

  it('an unknown model at one target may exist at another, and is nobody\'s fault', () => {
    expect(policyFor('not_found')).toEqual({ key: 'none', circuit: false, tryOtherKey: false, tryOtherTarget: true, transient: false })
  })

  it('GatewayError.retryable is the policy\'s `transient`, for every kind', () => {
    const kinds: GatewayErrorKind[] = ['invalid_request', 'authentication', 'permission', 'not_found', 'payload_too_large', 'rate_limit', 'quota', 'overloaded', 'upstream_error', 'timeout', 'connection', 'unsupported', 'unavailable', 'internal']
    for (const k of kinds) expect(new GatewayError(k, 'x').retryable).toBe(policyFor(k).transient)
  })
})

describe('what the request tries next', () => {
  // [error kind, retry-after given, the move]
  const MOVES: Array<[string, Array<[GatewayErrorKind, boolean, NextMove]>]> = [
    ["stops on the client's own mistake", [['invalid_request', false, 'stop'], ['unsupported', false, 'stop']]],
    [
      'a rate limit with retry-after may wait for the same candidate; without one, another key',
      [['rate_limit', true, 'wait-same'], ['rate_limit', false, 'other-key'], ['quota', true, 'other-key'], ['authentication', false, 'other-key']],
    ],
    ['an unwell upstream: other targets first, its other keys last', [['upstream_error', false, 'other-target-first'], ['overloaded', true, 'other-target-first']]],
    ['unreachable or unknown model: the target is done', [['timeout', false, 'other-target'], ['connection', false, 'other-target'], ['not_found', false, 'other-target']]],
  ]
  for (const [rule, cases] of MOVES)
    it(rule, () => {
      for (const [kind, retryAfter, move] of cases) expect(nextMove(kind, retryAfter), `${kind}, retry-after ${retryAfter}`).toBe(move)
    })
})
