import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';

type QueryValue = string | number | string[];

/**
 * A list page's filters, paging and sorting, kept in the address (#/orders?statuses=pending&page=2).
 * Opening a row and coming back restores exactly the list the accountant was working through.
 * The defaults give each field its type; values equal to the default are left out of the address.
 */
export function useUrlQuery<T extends Record<string, QueryValue>>(defaults: T): [T, (patch: Partial<T>) => void] {
  const [params, setParams] = useSearchParams();
  const raw = params.toString();
  // Callers pass a literal; its content, not its identity, is what matters.
  const defaultsKey = JSON.stringify(defaults);

  const value = useMemo(() => {
    const d = JSON.parse(defaultsKey) as T;
    const p = new URLSearchParams(raw);
    const out: Record<string, QueryValue> = {};
    for (const [key, def] of Object.entries(d)) {
      const text = p.get(key);
      if (text === null) out[key] = def;
      else if (Array.isArray(def)) out[key] = text.split(',').filter(Boolean);
      else if (typeof def === 'number') out[key] = Number.isFinite(Number(text)) && text !== '' ? Number(text) : def;
      else out[key] = text;
    }
    return out as T;
  }, [raw, defaultsKey]);

  const update = useCallback(
    (patch: Partial<T>) => {
      const d = JSON.parse(defaultsKey) as T;
      const next = { ...value, ...patch };
      const p = new URLSearchParams();
      for (const [key, v] of Object.entries(next)) {
        const encoded = Array.isArray(v) ? v.join(',') : String(v);
        const def = d[key];
        const defEncoded = Array.isArray(def) ? def.join(',') : String(def);
        if (encoded !== defEncoded) p.set(key, encoded);
      }
      setParams(p, { replace: true });
    },
    [value, defaultsKey, setParams],
  );

  return [value, update];
}
