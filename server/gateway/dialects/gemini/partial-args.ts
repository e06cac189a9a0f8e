import { isRecord } from './wire'

/**
 * Streamed function-call arguments (`functionCall.partialArgs`, Vertex `streamFunctionCallArguments`):
 * each PartialArg sets the value at a JSONPath (`$.location`, `$.a.b[0]`); a string with
 * `willContinue: true` is continued by the next PartialArg on the same path. We rebuild the object in
 * insertion order and turn it into JSON text deltas: the text so far, minus the closing brackets (and
 * quote) still open, is a prefix of the final JSON as long as values arrive in document order.
 */

type Node =
  | { k: 'obj'; entries: Map<string, Node> }
  | { k: 'arr'; items: Node[] }
  | { k: 'str'; value: string }
  | { k: 'val'; json: string }

type Seg = string | number

function parsePath(path: string): Seg[] | undefined {
  if (!path.startsWith('$')) return undefined
  const segs: Seg[] = []
  const re = /\.([^.[\]]+)|\[(\d+)\]|\['((?:[^'\\]|\\.)*)'\]|\["((?:[^"\\]|\\.)*)"\]/gy
  re.lastIndex = 1
  while (re.lastIndex < path.length) {
    const m = re.exec(path)
    if (!m) return undefined
    segs.push(m[2] !== undefined ? Number(m[2]) : (m[1] ?? m[3] ?? m[4])!)
  }
  return segs
}

function fromValue(v: unknown): Node {
  if (typeof v === 'string') return { k: 'str', value: v }
  if (Array.isArray(v)) return { k: 'arr', items: v.map(fromValue) }
  if (isRecord(v)) return { k: 'obj', entries: new Map(Object.entries(v).map(([k, x]) => [k, fromValue(x)])) }
  return { k: 'val', json: JSON.stringify(v ?? null) }
}

function serialize(n: Node): string {
  switch (n.k) {
    case 'str':
      return JSON.stringify(n.value)
    case 'val':
      return n.json
    case 'arr':
      return `[${n.items.map(serialize).join(',')}]`
    case 'obj':
      return `{${[...n.entries].map(([k, v]) => `${JSON.stringify(k)}:${serialize(v)}`).join(',')}}`
  }
}

function emptyFor(seg: Seg): Node {
  return typeof seg === 'number' ? { k: 'arr', items: [] } : { k: 'obj', entries: new Map() }
}

function child(parent: Node, seg: Seg, make: () => Node): Node | undefined {
  if (parent.k === 'obj' && typeof seg === 'string') {
    let c = parent.entries.get(seg)
    if (!c) parent.entries.set(seg, (c = make()))
    return c
  }
  if (parent.k === 'arr' && typeof seg === 'number') {
    while (parent.items.length < seg) parent.items.push({ k: 'val', json: 'null' })
    let c = parent.items[seg]
    if (!c) parent.items[seg] = c = make()
    return c
  }
  return undefined
}

function setLeaf(parent: Node, seg: Seg, leaf: Node): void {
  if (parent.k === 'obj' && typeof seg === 'string') parent.entries.set(seg, leaf)
  else if (parent.k === 'arr' && typeof seg === 'number') {
    while (parent.items.length < seg) parent.items.push({ k: 'val', json: 'null' })
    parent.items[seg] = leaf
  }
}

export interface PartialArgsBuilder {
  /** Applies one `partialArgs` array; returns the JSON text delta now safe to emit ('' if none). */
  apply(partialArgs: unknown[]): string
  /** The call is complete: the rest of the JSON text. */
  finish(): string
}

export function createPartialArgsBuilder(initialArgs?: unknown): PartialArgsBuilder {
  const root: Node = isRecord(initialArgs) ? fromValue(initialArgs) : { k: 'obj', entries: new Map() }
  let emitted = ''
  let openString: string | undefined // jsonPath of a string still being continued
  let lastDepth = 1 // containers enclosing the last value written
  let lastOpen = false

  const delta = (text: string): string => {
    if (!text.startsWith(emitted)) return '' // out-of-order write: hold back until the end
    const d = text.slice(emitted.length)
    emitted = text
    return d
  }

  return {
    apply(partialArgs) {
      for (const pa of partialArgs) {
        if (!isRecord(pa) || typeof pa.jsonPath !== 'string') continue
        const segs = parsePath(pa.jsonPath)
        if (!segs || segs.length === 0) continue
        let node: Node | undefined = root
        for (let i = 0; i < segs.length - 1 && node; i++) node = child(node, segs[i]!, () => emptyFor(segs[i + 1]!))
        if (!node) continue
        const last = segs[segs.length - 1]!
        if (typeof pa.stringValue === 'string') {
          const cur = node.k === 'obj' && typeof last === 'string' ? node.entries.get(last) : node.k === 'arr' && typeof last === 'number' ? node.items[last] : undefined
          if (openString === pa.jsonPath && cur?.k === 'str') cur.value += pa.stringValue
          else setLeaf(node, last, { k: 'str', value: pa.stringValue })
          openString = pa.willContinue === true ? pa.jsonPath : undefined
          lastOpen = openString !== undefined
        } else {
          let json = 'null'
          if (typeof pa.numberValue === 'number') json = JSON.stringify(pa.numberValue)
          else if (typeof pa.boolValue === 'boolean') json = String(pa.boolValue)
          setLeaf(node, last, { k: 'val', json })
          openString = undefined
          lastOpen = false
        }
        lastDepth = segs.length
      }
      const full = serialize(root)
      return delta(full.slice(0, full.length - lastDepth - (lastOpen ? 1 : 0)))
    },
    finish() {
      return delta(serialize(root))
    },
  }
}
