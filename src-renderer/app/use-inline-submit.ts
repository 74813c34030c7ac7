import { useCallback, useState } from 'react';
import type { ApiCallError } from './api';
import { asApiError } from './errors';
import { useReportError } from './use-report-error';

/**
 * A form or dialog that saves through one call and shows a refusal next to its fields (an approval
 * refused by the maker-checker rule, a table the server finds inconsistent) rather than as a toast;
 * a lapsed session still goes through useReportError (back to the login page).
 */
export function useInlineSubmit(): {
  busy: boolean;
  refused: ApiCallError | null;
  /** Forget the refusal (the user is editing again). */
  clearRefused: () => void;
  submit: (work: () => Promise<void>) => Promise<void>;
} {
  const report = useReportError();
  const [busy, setBusy] = useState(false);
  const [refused, setRefused] = useState<ApiCallError | null>(null);
  const submit = useCallback(
    async (work: () => Promise<void>) => {
      setBusy(true);
      setRefused(null);
      try {
        await work();
      } catch (e) {
        const err = asApiError(e);
        if (err.code === 'UNAUTHENTICATED') report(e);
        else setRefused(err);
      } finally {
        setBusy(false);
      }
    },
    [report],
  );
  const clearRefused = useCallback(() => setRefused(null), []);
  return { busy, refused, clearRefused, submit };
}
