import { describe, expect, it } from 'vitest'
import { isValidHostHeader } from '../../../server/gateway/http/host-header'

describe('Host header check', () => {
  it('accepts what clients send: names, addresses, ports, IPv6 literals, IDN names, none at all', () => {
    for (const h of [undefined, 'localhost', 'localhost:3000', '127.0.0.1:3000', 'llm.example.com', '[::1]', '[::1]:3000', 'bücher.example', 'a_b.internal'])
      expect(isValidHostHeader(h), String(h)).toBe(true)
  })
  it('refuses what no URL can be built from', () => {
    for (const h of ['[::1', 'a b', 'host:port', 'x:99999999', '%', '\u0000', 'a/b@c:1:2']) expect(isValidHostHeader(h), h).toBe(false)
  })
})
