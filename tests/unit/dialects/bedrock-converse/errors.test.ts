import { describe, expect, it } from 'vitest'
import { decodeError } from '../../../../server/gateway/dialects/bedrock-converse/errors'
import { policyFor } from '../../../../server/gateway/pool/policy'

const H = (type: string) => ({ 'x-amzn-errortype': `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/`, 'x-amzn-requestid': 'a1b2' })

describe('Bedrock Runtime errors → the failure policy', () => {
  const cases: Array<[string, number, string]> = [
    ['ThrottlingException', 429, 'rate_limit'],
    ['ValidationException', 400, 'invalid_request'],
    ['AccessDeniedException', 403, 'permission'],
    ['ResourceNotFoundException', 404, 'not_found'],
    ['ModelNotReadyException', 429, 'overloaded'],
    ['ServiceUnavailableException', 503, 'overloaded'],
    ['InternalServerException', 500, 'upstream_error'],
    ['ModelTimeoutException', 408, 'timeout'],
    ['ModelErrorException', 424, 'upstream_error'],
    ['ServiceQuotaExceededException', 400, 'quota'],
    ['UnrecognizedClientException', 403, 'authentication'],
    ['InvalidSignatureException', 403, 'authentication'],
    ['ExpiredTokenException', 403, 'authentication'],
  ]
  it.each(cases)('%s (%i) → %s', (type, status, kind) => {
    const e = decodeError(status, JSON.stringify({ message: 'Something happened.' }), H(type))
    expect(e.kind).toBe(kind)
    expect(e.message).toBe(`${type}: Something happened.`)
    expect(e.upstreamStatus).toBe(status)
  })

  it('a throttled request tries another key and waits; a model not ready counts against the circuit', () => {
    expect(policyFor(decodeError(429, '{"message":"Too many requests"}', H('ThrottlingException')).kind)).toMatchObject({ key: 'rest-model', tryOtherKey: true, transient: true })
    expect(policyFor(decodeError(429, '{"message":"not ready"}', H('ModelNotReadyException')).kind)).toMatchObject({ circuit: true, transient: true })
    expect(policyFor(decodeError(403, '{"Message":"The security token included in the request is invalid."}', H('UnrecognizedClientException')).kind).key).toBe('disable')
  })

  it('reads the type from __type or falls back to the status; keeps retry-after', () => {
    expect(decodeError(400, '{"__type":"com.amazon.coral.validate#ValidationException","message":"bad"}').kind).toBe('invalid_request')
    const e = decodeError(503, 'upstream connect error', { 'retry-after': '3' })
    expect([e.kind, e.message, e.retryAfter]).toEqual(['overloaded', 'upstream connect error', 3])
  })
})
