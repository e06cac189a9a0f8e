/** The map's value for `key`, created by `create` and stored on first use (per-key state tables). */
export function entryOf<K, V>(map: Map<K, V>, key: K, create: () => V): V {
  let v = map.get(key)
  if (v === undefined) {
    v = create()
    map.set(key, v)
  }
  return v
}
