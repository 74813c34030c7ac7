/** What every channel returns: errors cross the boundary as data, never as thrown exceptions. */
export interface ApiError {
  code: string;
  message: string;
}
export type Result<T> = { ok: true; data: T } | { ok: false; error: ApiError };
