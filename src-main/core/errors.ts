/**
 * A rule of the business was broken. `code` is stable for programs, `message` is the Chinese
 * sentence shown to the accountant as it is.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const isDomainError = (e: unknown): e is DomainError => e instanceof DomainError;
