// A localStorage of one's own for unit tests (the lock hint reads and writes one), its items in
// view.

export function memoryStorage(): Pick<Storage, 'getItem' | 'setItem'> & {
  items: Map<string, string>;
} {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
  };
}
