import { Button, Result, Spin } from 'antd';
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { call, type ApiCallError } from './api';
import { asApiError } from './errors';
import type { Vocabulary } from './api-types';

const VocabularyContext = createContext<Vocabulary | null>(null);

/**
 * The words of the domain (payment methods, states, roles, permissions) as the core defines them,
 * loaded once from `meta.vocabulary` so the screens never keep their own copy of a label.
 */
export function VocabularyProvider({ children }: { children: ReactNode }) {
  const [vocabulary, setVocabulary] = useState<Vocabulary | null>(null);
  const [error, setError] = useState<ApiCallError | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    call('meta.vocabulary', {}).then(
      (v) => live && setVocabulary(v),
      (e: unknown) => live && setError(asApiError(e)),
    );
    return () => {
      live = false;
    };
  }, [attempt]);

  if (error && !vocabulary)
    return (
      <Result
        status="error"
        title="无法连接支付中心"
        subTitle={error.message}
        extra={
          <Button
            type="primary"
            onClick={() => {
              setError(null);
              setAttempt((a) => a + 1);
            }}
          >
            重试
          </Button>
        }
      />
    );
  if (!vocabulary) return <Spin size="large" fullscreen tip="正在加载…" />;
  return <VocabularyContext.Provider value={vocabulary}>{children}</VocabularyContext.Provider>;
}

export function useVocabulary(): Vocabulary {
  const v = useContext(VocabularyContext);
  if (!v) throw new Error('useVocabulary outside VocabularyProvider');
  return v;
}

/** Select options from a label map, in the order the core lists them. */
export function optionsOf<K extends string>(labels: Record<K, string>): { value: K; label: string }[] {
  return (Object.entries(labels) as [K, string][]).map(([value, label]) => ({ value, label }));
}

/** Keeps only the values a label map knows (e.g. statuses read back from the address bar). */
export function knownKeys<K extends string>(labels: Record<K, string>, values: readonly string[]): K[] {
  return values.filter((v): v is K => Object.hasOwn(labels, v));
}

/** The label of a code, or the code itself when the vocabulary does not know it. */
export function labelOf<K extends string>(labels: Record<K, string>, code: string): string {
  return Object.hasOwn(labels, code) ? labels[code as K] : code;
}
