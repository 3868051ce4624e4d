// The error of a run asked to do something it cannot: a missing file, a broken configuration, a
// bad option. The CLI prints it and exits 2; the library API (api.ts) rejects with it. On its own so
// that the package's type declarations bring nothing else with it.

/** A mistake in what the run was asked to do: a missing file, a broken configuration, a bad option. */
export class UsageError extends Error {
  override name = 'UsageError';
}
